"""Slack against the served process: `python -m oncall serve` posts through the real slack_sdk to
the fake Slack Web API on loopback, and takes signed button presses over HTTP (valid, forged, stale
by its own clock); the message then shows who acknowledged."""

from __future__ import annotations

import requests

from tests.fakes.slack_server import FakeSlack
from tests.fakes.waiting import wait_until
from tests.integration.configs import PHONE, demo_config

SECRET = "served-signing-secret"
KIM, CHANNEL = "U0KIM0001", "C0PAYMENTS"


def slack_config() -> dict:
    config = demo_config()
    config["people"]["kim"]["slack"] = KIM
    config["escalations"]["payments"]["slack"] = {"channel": CHANNEL}
    return config


def test_served_posts_to_the_team_channel_and_takes_signed_button_presses(launch, fake_twilio):
    with FakeSlack(channels={CHANNEL}) as slack:
        running = launch(
            slack_config(),
            SLACK_BOT_TOKEN=slack.token,
            SLACK_API_URL=slack.api_url,
            SLACK_SIGNING_SECRET=SECRET,
        )
        alert = running.api.fire("HighErrorRate", summary="<!channel> error rate 45%")
        fake_twilio.expect_sms(PHONE["kim"], "HighErrorRate")
        post = slack.expect_message(CHANNEL, timeout=10)
        assert "&lt;!channel&gt; error rate 45%" in post.mrkdwn
        url = f"{running.service.url}/slack/interactions"

        def press(action: str, *, secret: str = SECRET, at: float | None = None) -> requests.Response:
            signed_at = running.clock.now().timestamp() if at is None else at
            body, headers = slack.press(post, f"{action}:{alert}", user=KIM, secret=secret, at=signed_at)
            return requests.post(url, data=body, headers=headers, timeout=10)

        assert press("ack", secret="forged").status_code == 401
        signed_at = running.clock.now().timestamp()
        running.clock.advance(6 * 60)  # the service's clock: that signature is now 6 minutes old
        assert press("ack", at=signed_at).status_code == 401
        assert running.api.alert(alert)["status"] == "triggered"

        answer = press("ack")
        assert answer.status_code == 200, answer.text
        assert answer.json()["text"] == f"Acknowledged alert #{alert} (HighErrorRate)."
        assert running.api.alert(alert)["acked_by"] == "kim"
        wait_until(lambda: "Acknowledged by Kim" in post.mrkdwn, timeout=10, what="the message update")
        assert f"ack:{alert}" not in post.action_ids
