"""A small conversation DSL for paging tests: fire, advance, expect_sms, reply."""

from __future__ import annotations

from datetime import timedelta

from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging.conversation import handle_sms


class Pager:
    def __init__(self, client, auth, clock, notifier, runtime) -> None:
        self.client, self.auth, self.clock = client, auth, clock
        self.notifier, self.runtime = notifier, runtime
        self._seen: dict[str, int] = {}  # sms/call counts already checked, per phone

    def phone(self, person: str) -> str:
        return self.runtime.config.people[person].phone

    def tick(self) -> None:
        self.runtime.engine.tick()

    def fire(
        self,
        rule: str,
        severity: str = "critical",
        summary: str = "",
        status: str = "firing",
        dedup: str | None = None,
        tick: bool = True,
        **labels,
    ) -> int:
        body = {
            "rule": rule,
            "dedup_key": dedup or rule,
            "status": status,
            "severity": severity,
            "summary": summary,
            "labels": {"team": "payments", **labels},
        }
        response = self.client.post("/api/v1/alerts", json=body, headers=self.auth)
        assert response.status_code in (200, 201), response.json
        if tick:
            self.tick()
        ids = response.json["created"] or response.json["resolved"]
        return ids[0] if ids else 0

    def advance(self, hours: int = 0, minutes: int = 0, seconds: int = 0) -> None:
        """Move time forward one tick at a time (10 s steps) so due work fires when it is due."""
        total = timedelta(hours=hours, minutes=minutes, seconds=seconds)
        step = timedelta(seconds=10)
        while total > timedelta(0):
            move = min(step, total)
            self.clock.advance(move)
            total -= move
            self.tick()

    def _new(self, person: str, channel: str) -> list[str]:
        phone = self.phone(person)
        sent = self.notifier.sms_to(phone) if channel == "sms" else self.notifier.calls_to(phone)
        key = f"{channel}:{phone}"
        new = sent[self._seen.get(key, 0) :]
        self._seen[key] = len(sent)
        return new

    def expect_sms(self, person: str, contains: str = "") -> str:
        new = self._new(person, "sms")
        assert new, f"expected an SMS to {person}, got none"
        assert len(new) == 1, f"expected one SMS to {person}, got {new}"
        assert contains in new[0], f"SMS to {person} {new[0]!r} lacks {contains!r}"
        return new[0]

    def expect_call(self, person: str) -> str:
        new = self._new(person, "call")
        assert len(new) == 1, f"expected one call to {person}, got {new}"
        return new[0]

    def expect_no_sms(self, person: str) -> None:
        new = self._new(person, "sms")
        assert not new, f"expected no SMS to {person}, got {new}"

    def expect_no_call(self, person: str) -> None:
        new = self._new(person, "call")
        assert not new, f"expected no call to {person}, got {new}"

    def drain(self, person: str) -> None:
        """Forget what was sent to `person` so far (the next expectations look only ahead)."""
        self._new(person, "sms")
        self._new(person, "call")

    def expect_no_page(self, person: str) -> None:
        self.expect_no_sms(person)
        self.expect_no_call(person)

    def attempts(self, person: str, channel: str) -> int:
        """Every send tried to this person on this channel ("sms" | "call"), failed ones too."""
        phone = self.phone(person)
        return sum(1 for a in self.notifier.attempts if a.channel == channel and a.to == phone)

    def reply(self, person: str, text: str) -> str | None:
        return self.reply_from(self.phone(person), text)

    def reply_from(self, phone: str, text: str) -> str | None:
        with self.runtime.db.session() as session:
            answer = handle_sms(
                session, self.runtime.config, phone, text, self.clock.now(), follow=FOLLOW_UPS
            )
        self.tick()
        return answer

    def alert(self, alert_id: int) -> dict:
        response = self.client.get(f"/api/v1/alerts/{alert_id}", headers=self.auth)
        assert response.status_code == 200
        return response.json
