"""The served process's clock, moved by the test (oncall/testclock.py reads the other end).

Every service the launcher starts has ONCALL_TEST_CLOCK_FILE naming a file of its own; its clock
is the wall clock plus the seconds written there. A test jumps the service to "60 s after the
alert came in" instead of sleeping through the minute:

    received = datetime.fromisoformat(api.alert(alert_id)["received_at"])
    running.clock.move_to(received + timedelta(seconds=60))   # level 2 falls due now
    fake.expect_sms(CHOI, "HighErrorRate")

Time never goes back (a move to the past is refused) and keeps running between moves, as it does
for the service.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path


class ServedClock:
    """Writes the offset a served process adds to its wall clock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = timedelta(0)

    def now(self) -> datetime:
        """What the service's clock says at this moment."""
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> datetime:
        """Move the service's time forward by `seconds`; returns its new now."""
        if seconds < 0:
            raise ValueError("the served clock only moves forward")
        self._write(self.offset + timedelta(seconds=seconds))
        return self.now()

    def move_to(self, instant: datetime) -> datetime:
        """Move the service's time forward to `instant` (aware); returns its new now."""
        return self.advance((instant - self.now()).total_seconds())

    def _write(self, offset: timedelta) -> None:
        # Written whole, then renamed: the service never reads half a number.
        partial = self.path.with_suffix(".partial")
        partial.write_text(f"{offset.total_seconds():.6f}\n")
        os.replace(partial, self.path)
        self.offset = offset
