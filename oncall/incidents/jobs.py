"""The incidents' share of each engine tick: status-update reminders and the weekly digest.

The runtime subscribes `IncidentJobs.on_tick` to the engine's `EngineTicked` (escalation sits
below incidents and knows nothing of them). Each claim runs in its own short transaction that
starts with its write, so two instances on one database (SQLite or PostgreSQL) send each
reminder and digest once; what they queue goes out on the engine's next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from oncall.config.model import Config
from oncall.db import Database
from oncall.events import EngineTicked
from oncall.incidents import digest, reminders

log = logging.getLogger("oncall.incidents")
DIGEST_EVERY = timedelta(minutes=1)  # how often owners are looked at (the digest itself is weekly)


@dataclass
class IncidentJobs:
    """Runs the incident jobs at a given time, against one database and the current configuration."""

    db: Database
    config: Callable[[], Config]
    ready: frozenset[str] | None = None  # channels with settings (None: all): the digest skips the rest
    _digest_checked: datetime | None = field(default=None, init=False)

    def on_tick(self, ticked: EngineTicked) -> None:
        """An `EngineTicked` subscriber: run the jobs at the tick's time."""
        self.run(ticked.at)

    def run(self, now: datetime) -> tuple[int, int]:
        """Queue the reminders and digests due at `now`; how many of each."""
        config = self.config()
        reminded = self._reminders(config, now)
        sent = 0
        if self._digest_checked is None or now - self._digest_checked >= DIGEST_EVERY:
            self._digest_checked = now
            sent = self._digests(config, now)
        return reminded, sent

    def _reminders(self, config: Config, now: datetime) -> int:
        with self.db.session() as session:
            due = reminders.reminders_due(session, config, now)
        done = 0
        for overdue in due:
            with self.db.session() as session:
                done += reminders.claim_and_remind(session, config, overdue, now)
        return done

    def _digests(self, config: Config, now: datetime) -> int:
        with self.db.session() as session:
            due = digest.digests_due(session, config, now, ready=self.ready)
        done = 0
        for owner in due:
            with self.db.session() as session:
                done += digest.claim_and_send(session, config, owner, now, ready=self.ready)
        return done
