"""Slack as one channel among the others, through the engine and the outbox: SEV-1 and SEV-2 page
by SMS, voice and a Slack DM; an ack on Slack stops the call still pending, an SMS ack updates
the DM, someone found by email gets their DM, and a storm is one DM bundle."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging.conversation import handle_sms
from tests.conftest import DEMO_CONFIG
from tests.slack.conftest import CHOI, KIM, SlackDesk

CHANNELS = """
channels:
  SEV-1: [sms, voice, slack]
  SEV-2: [sms, voice, slack]
  SEV-3: [sms, slack]
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """The demo team, every page also a Slack DM; Choi is in Slack only by her email."""
    path = tmp_path / "oncall.yaml"
    text = DEMO_CONFIG.read_text().replace(
        'choi: {name: Choi, phone: "+82 10-1234-5604"}',
        'choi: {name: Choi, phone: "+82 10-1234-5604", email: choi@example.com}',
    )
    path.write_text(text + CHANNELS)
    (tmp_path / "config").mkdir()
    return path


def kims_dm(desk: SlackDesk, count: int = 1):
    return desk.slack.expect_message(desk.slack.dm(KIM), count)


def test_an_ack_on_slack_stops_the_pending_call_and_shows_in_the_dm(desk: SlackDesk, notifier):
    alert = desk.fire("CheckoutSlow", severity="page")  # SEV-2: SMS and DM now, a call in 2 minutes
    phone = desk.runtime.config.people["kim"].phone
    assert notifier.sms_to(phone)
    dm = kims_dm(desk)
    assert dm.action_ids[0] == f"ack:{alert}"
    assert "reply" not in dm.text  # no SMS reply codes in Slack
    assert desk.press(dm, f"ack:{alert}", KIM).json["text"].startswith("Acknowledged")
    desk.clock.advance(timedelta(minutes=3))
    desk.tick()
    assert notifier.calls_to(phone) == []
    assert "Acknowledged by Kim" in dm.mrkdwn


def test_an_sms_ack_updates_the_dm_and_the_channel_post(desk: SlackDesk):
    alert = desk.fire("CheckoutSlow", severity="page")
    dm = kims_dm(desk)
    phone = desk.runtime.config.people["kim"].phone
    with desk.runtime.db.session() as session:
        handle_sms(session, desk.runtime.config, phone, "1a", desk.clock.now(), follow=FOLLOW_UPS)
    assert desk.alert(alert)["status"] == "acknowledged"
    desk.tick()
    assert "Acknowledged by Kim" in dm.mrkdwn
    post = desk.slack.messages_in("C0PAYMENTS")[0]
    assert "Acknowledged by Kim" in post.mrkdwn


def test_escalate_from_slack_pages_the_team_lead_in_slack_found_by_her_email(desk: SlackDesk):
    alert = desk.fire("CheckoutSlow")
    dm = kims_dm(desk)
    assert desk.press(dm, f"escalate:{alert}", KIM).json["text"] == f"Alert #{alert}: escalating to level 2."
    desk.tick()
    choi = desk.slack.expect_message(desk.slack.dm(CHOI))
    assert f"ack:{alert}" in choi.action_ids
    assert desk.press(choi, f"ack:{alert}", CHOI).status_code == 200
    assert desk.alert(alert)["acked_by"] == "choi"


def test_a_storm_is_one_dm_bundle_not_a_flood(desk: SlackDesk):
    for n in range(6):
        body = {"rule": f"Storm{n}", "severity": "critical", "labels": {"team": "payments"}}
        desk.client.post("/api/v1/alerts", json=body, headers=desk.auth)
    desk.tick()
    desk.clock.advance(timedelta(minutes=1, seconds=5))
    desk.tick()
    dms = desk.slack.messages_in(desk.slack.dm(KIM))
    assert len(dms) <= 2, [m.text for m in dms]
    shown = "".join(m.mrkdwn for m in dms)
    assert all(f"*Storm{n}*" in shown for n in range(6))


def test_slack_down_the_dm_is_retried_by_the_outbox(desk: SlackDesk):
    desk.slack.fail_next("chat.postMessage", "internal_error", status=500)  # the DM goes first
    alert = desk.fire("CheckoutSlow")
    assert desk.slack.messages_in(desk.slack.dm(KIM)) == []
    failed = [e for e in desk.timeline(alert) if e["kind"] == "delivery_failed"]
    assert [(e["channel"], e["detail"]) for e in failed] == [("slack", "slack: internal_error")]
    desk.clock.advance(timedelta(seconds=2))
    desk.tick()
    assert f"ack:{alert}" in kims_dm(desk).action_ids
