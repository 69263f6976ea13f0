"""State read when Prometheus scrapes: is the configuration valid, and when was it loaded.

These are facts about now, not events, so they are read at scrape time from the answering
worker (every worker watches the same file, so any of them can answer).
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from oncall.configfile.store import ConfigStore


class ConfigStateCollector(Collector):
    """`oncall_config_valid` (1/0) and `oncall_config_last_reload_timestamp_seconds`."""

    def __init__(self, store: ConfigStore) -> None:
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One sample each, read from the configuration store."""
        store = self.store
        yield GaugeMetricFamily(
            "oncall_config_valid",
            "1 when the configuration file on disk is valid, 0 when an edit was rejected "
            "(the previous configuration keeps running).",
            value=1.0 if store.valid else 0.0,
        )
        yield GaugeMetricFamily(
            "oncall_config_last_reload_timestamp_seconds",
            "Unix time the configuration in force was loaded.",
            value=store.loaded_at.timestamp(),
        )
