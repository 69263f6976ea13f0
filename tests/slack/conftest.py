"""The service in this process with Slack configured: the real slack_sdk against the fake Slack
Web API on 127.0.0.1, the demo team, and the controllable clock (Tuesday 11:00 in Seoul, Kim on
call). Kim is linked by her `slack:` id, Lee only by `email`; the payments policy posts to
the team channel C0PAYMENTS."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncall.app import create_app
from oncall.runtime import Runtime, build_runtime
from oncall.tokens.service import create_token
from tests.fakes.slack_server import FakeSlack, Posted

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the app's signing secret in these tests
KIM, LEE, CHOI, STRANGER = "U0KIM0001", "U0LEE0002", "U0CHOI003", "U0NOBODY9"
TEAM_CHANNEL = "C0PAYMENTS"
PUBLIC_URL = "https://oncall.example.test"


def slack_config(config_path: Path) -> None:
    """Link Kim by id and Lee by email; post the payments policy's alerts to the team channel."""
    text = config_path.read_text()
    text = text.replace(
        'kim:  {name: Kim,  phone: "+82 10-1234-5601"}',
        f'kim:  {{name: Kim,  phone: "+82 10-1234-5601", slack: {KIM}}}',
    )
    text = text.replace(
        'lee:  {name: Lee,  phone: "+82 10-1234-5602"}',
        'lee:  {name: Lee,  phone: "+82 10-1234-5602", email: Lee@Example.com}',
    )
    text = text.replace(
        "escalations:\n  payments:\n",
        f"escalations:\n  payments:\n    slack: {{channel: {TEAM_CHANNEL}}}\n",
    )
    assert f"slack: {KIM}" in text and "Lee@Example.com" in text and TEAM_CHANNEL in text
    config_path.write_text(text)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(
        channels={TEAM_CHANNEL},
        users={LEE: "lee@example.com", CHOI: "choi@example.com", STRANGER: "who@else.com"},
    ) as fake:
        yield fake


@pytest.fixture
def runtime(settings, clock, notifier, config_path, fake_slack: FakeSlack) -> Iterator[Runtime]:
    """The runtime as the server builds it, with Slack's settings pointing at the fake."""
    slack_config(config_path)
    slack = dataclasses.replace(
        settings,
        public_url=PUBLIC_URL,
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
        slack_signing_secret=SECRET,
    )
    runtime = build_runtime(slack, clock=clock, notifier=notifier)
    yield runtime
    runtime.close()


@pytest.fixture
def app(runtime):
    return create_app(runtime=runtime, start_background=False)


@pytest.fixture
def auth(runtime) -> dict[str, str]:
    with runtime.db.session() as session:
        return {"Authorization": f"Bearer {create_token(session, 'slack-tests', runtime.clock.now())}"}


class SlackDesk:
    """Fire alerts over the API, tick the engine, press Slack buttons with signed requests."""

    def __init__(self, client, auth, clock, runtime: Runtime, slack: FakeSlack) -> None:
        self.client, self.auth, self.clock, self.runtime, self.slack = client, auth, clock, runtime, slack

    def tick(self) -> None:
        self.runtime.engine.tick()

    def fire(self, rule: str, severity: str = "critical", summary: str = "", **labels) -> int:
        body = {
            "rule": rule,
            "dedup_key": rule,
            "severity": severity,
            "summary": summary,
            "labels": {"team": "payments", **labels},
        }
        response = self.client.post("/api/v1/alerts", json=body, headers=self.auth)
        assert response.status_code in (200, 201), response.json
        self.tick()
        return response.json["created"][0]

    def press(
        self, message: Posted, action_id: str, user: str = KIM, *, age: float = 0, secret: str = SECRET
    ):
        """Slack's signed request for a button, sent `age` seconds after it was signed."""
        at = self.clock.now().timestamp() - age
        body, headers = self.slack.press(message, action_id, user=user, secret=secret, at=at)
        return self.client.post("/slack/interactions", data=body, headers=headers)

    def alert(self, alert_id: int) -> dict:
        return self.client.get(f"/api/v1/alerts/{alert_id}", headers=self.auth).json

    def timeline(self, alert_id: int) -> list[dict]:
        return self.alert(alert_id)["timeline"]


@pytest.fixture
def desk(app, auth, clock, runtime, fake_slack) -> SlackDesk:
    return SlackDesk(app.test_client(), auth, clock, runtime, fake_slack)
