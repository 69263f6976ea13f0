"""A recording sender for one channel (the core's unit tests: no SMTP, no Slack), and a helper
that gives the demo configuration email addresses and a `channels:` mapping."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from oncall.paging.channels import Outgoing
from oncall.paging.providers import Delivery


@dataclass
class RecordingSender:
    """Accepts (or fails, as scripted) every message handed to it, and keeps them in order."""

    channel: str
    sent: list[Outgoing] = field(default_factory=list)
    attempts: list[Outgoing] = field(default_factory=list)
    failures: list[Delivery] = field(default_factory=list)  # answered first, one per attempt
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def send(self, out: Outgoing) -> Delivery:
        """Record `out`; the next scripted failure, else accepted."""
        self.attempts.append(out)
        if self.failures:
            return self.failures.pop(0)
        self.sent.append(out)
        return Delivery.accepted(f"{self.channel}-{next(self._ids)}", status="sent")

    def to(self, person: str) -> list[Outgoing]:
        """The messages accepted for `person`."""
        return [out for out in self.sent if out.person == person]


def with_channels(path: Path, channels: str, emails: dict[str, str] | None = None) -> Path:
    """The demo configuration at `path` with `channels` (YAML lines) and people's emails added."""
    text = path.read_text()
    for person, email in (emails or {}).items():
        name = person.capitalize()
        old = f"{{name: {name}, " if f"{{name: {name}, " in text else f"{{name: {name},  "
        assert old in text, person
        text = text.replace(old, f"{{name: {name}, email: {email}, ", 1)
    path.write_text(text + "\n" + channels + "\n")
    return path
