"""A conversation DSL over the real paging path: the service pages through the real Twilio SDK
(TwilioNotifier) into the fake Twilio on loopback, and people answer through it: texts and key
presses arrive as signed webhooks at the app, served on 127.0.0.1 in this process.

    alert = talk.page("HighErrorRate")            # an alert through the API; one engine tick
    talk.expect_sms("kim", "[SEV-1 #1]")          # what Kim's phone shows
    assert talk.reply("kim", "1a") == "Acknowledged #1 HighErrorRate"
    talk.advance(minutes=16)                      # the controllable clock, one tick per 10 s
    talk.expect_no_page("choi")
"""

from __future__ import annotations

import re
from datetime import timedelta

from oncall.clock import FakeClock
from oncall.runtime import Runtime
from tests.fakes.twilio_server import FakeCall, FakeMessage, FakeTwilio

WAIT = 2.0  # seconds: the fake records a page as soon as the engine's tick has sent it


class Conversation:
    """Pages and answers between the service and the people of the demo team."""

    def __init__(self, *, fake: FakeTwilio, runtime: Runtime, clock: FakeClock, client, auth) -> None:
        self.fake, self.runtime, self.clock = fake, runtime, clock
        self.client, self.auth = client, auth

    def phone(self, person: str) -> str:
        return self.runtime.config.people[person].phone

    def tick(self) -> None:
        self.runtime.engine.tick()

    def page(self, rule: str, severity: str = "critical", summary: str = "") -> int:
        """An alert arrives through the API (team payments); the engine runs once. Its id."""
        body = {"rule": rule, "severity": severity, "summary": summary, "labels": {"team": "payments"}}
        answer = self.client.post("/api/v1/alerts", json=body, headers=self.auth)
        assert answer.status_code in (200, 201), answer.json
        self.tick()
        return answer.json["created"][0]

    def advance(self, minutes: int = 0, seconds: int = 0) -> None:
        """Move the clock on in 10-second steps, running the engine after each."""
        left = timedelta(minutes=minutes, seconds=seconds)
        while left > timedelta(0):
            step = min(left, timedelta(seconds=10))
            self.clock.advance(step)
            left -= step
            self.tick()

    def expect_sms(self, person: str, *contains: str) -> FakeMessage:
        return self.fake.expect_sms(self.phone(person), *contains, timeout=WAIT)

    def expect_call(self, person: str) -> FakeCall:
        return self.fake.expect_call(self.phone(person), timeout=WAIT)

    def expect_no_page(self, person: str) -> None:
        self.fake.assert_no_pages(self.phone(person))

    def reply(self, person: str, text: str) -> str | None:
        """`person` texts `text` to the service; the service's answer (None when silent)."""
        return self.text_from(self.phone(person), text)

    def text_from(self, phone: str, text: str) -> str | None:
        result = self.fake.send_sms(phone, text)
        for message in self.fake.messages:
            if message.via == "twiml" and message.to == phone:
                message.consumed = True  # the answer is returned here, not a page
        self.tick()
        return result.messages[0] if result.messages else None

    def press(self, call: FakeCall, keys: str) -> list[str]:
        """The callee answers `call` and presses `keys`; every sentence the call said."""
        self.fake.answer(call, press=keys)
        self.tick()
        return call.said

    def status(self, alert_id: int) -> str:
        return self.alert(alert_id)["status"]

    def alert(self, alert_id: int) -> dict:
        answer = self.client.get(f"/api/v1/alerts/{alert_id}", headers=self.auth)
        assert answer.status_code == 200, answer.json
        return answer.json

    def timeline(self, alert_id: int) -> list[tuple[str, str | None, str]]:
        """(kind, channel, detail) of every line of the alert's timeline."""
        return [(e["kind"], e.get("channel"), e.get("detail", "")) for e in self.alert(alert_id)["timeline"]]


def reply_code(sms: FakeMessage) -> int:
    """The code an SMS page asks to reply with ("reply 12a ack" -> 12)."""
    match = re.search(r"reply (\d+)a", sms.body)
    assert match, f"no reply code in {sms.body!r}"
    return int(match.group(1))
