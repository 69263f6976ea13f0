"""The heartbeats' share of each engine tick: open the "missing" alert of every silent heartbeat.

The runtime subscribes `HeartbeatJobs.on_tick` to the engine's `EngineTicked`, like the incident
jobs. Each miss is claimed in its own short transaction that starts with its write, so two
instances on one database open one alert; the alert pages on the engine's next pass (an
`AlertsReceived` wakes it at once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from oncall.alerts.followups import FollowUps
from oncall.alerts.holds import HoldLookup
from oncall.config.model import Config
from oncall.db import Database
from oncall.events import AlertsReceived, EngineTicked, EventBus
from oncall.heartbeats import service

log = logging.getLogger("oncall.heartbeats")


@dataclass
class HeartbeatJobs:
    """Checks the configured heartbeats at a given time, against one database."""

    db: Database
    config: Callable[[], Config]
    follow: FollowUps
    events: EventBus
    holds: Callable[[Session, Config, datetime], HoldLookup] | None = None  # maintenance windows

    def on_tick(self, ticked: EngineTicked) -> None:
        """An `EngineTicked` subscriber: check the heartbeats at the tick's time."""
        self.run(ticked.at)

    def run(self, now: datetime) -> list[int]:
        """Open the alert of every heartbeat missing at `now`; the ids of the alerts opened here."""
        config = self.config()
        if not config.heartbeats:
            return []
        with self.db.session() as session:
            due = service.overdue(session, config, now)
        opened = []
        for name in due:
            with self.db.session() as session:
                hold = self.holds(session, config, now) if self.holds else None
                alert_id = service.open_miss(session, config, name, now, self.follow, hold=hold)
            if alert_id is not None:
                log.warning("heartbeat %s missing: alert #%d opened", name, alert_id)
                opened.append(alert_id)
                severity = config.heartbeats[name].severity
                self.events.publish(AlertsReceived(service.SOURCE, (severity,), 1, 0, 0, 0))
        return opened
