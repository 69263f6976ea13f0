"""Heartbeat gauges, read from the database when Prometheus scrapes (one small SELECT).

`oncall_heartbeat_last_beat_timestamp_seconds{heartbeat}` and `oncall_heartbeat_missing{heartbeat}`
are facts about now, shared by every instance through the database, so any worker can answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.heartbeats.service import known_statuses


class HeartbeatCollector(Collector):
    """One sample per configured heartbeat that has been seen (its clock started)."""

    def __init__(self, db: Database, config: Callable[[], Config], clock: Clock) -> None:
        self.db, self.config, self.clock = db, config, clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The last beat's time (heartbeats that beat at least once) and whether each is missing."""
        config = self.config()
        if not config.heartbeats:
            return
        with self.db.session() as session:
            found = known_statuses(session, config, self.clock.now())
        last = GaugeMetricFamily(
            "oncall_heartbeat_last_beat_timestamp_seconds",
            "Unix time of the heartbeat's last beat (API call or Watchdog alert).",
            labels=["heartbeat"],
        )
        missing = GaugeMetricFamily(
            "oncall_heartbeat_missing",
            "1 while the heartbeat is missing (silent past every + grace), else 0.",
            labels=["heartbeat"],
        )
        for status in found:
            if status.last_beat_at is not None:
                last.add_metric([status.name], status.last_beat_at.timestamp())
            missing.add_metric([status.name], 1.0 if status.state == "missing" else 0.0)
        yield last
        yield missing
