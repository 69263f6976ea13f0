"""GET /metrics: the Prometheus text format, merged over gunicorn workers when multiprocess."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from flask import Blueprint, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.metrics_core import Metric

from oncall.metrics.collectors import ConfigStateCollector
from oncall.metrics.heartbeats import HeartbeatCollector
from oncall.web.context import current_runtime

bp = Blueprint("metrics", __name__)


class _Chain:
    """Several collectors read as one registry, so scrape-time state joins the counters."""

    def __init__(self, sources: Iterable) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def event_registry() -> CollectorRegistry:
    """The counters and histograms: merged from the worker files, or this process's registry."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # A fresh registry per scrape, as prometheus-client's multiprocess docs require.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@bp.get("/metrics")
def metrics() -> Response:
    """Every `oncall_` / `alertaudit_` metric in the Prometheus text format."""
    runtime = current_runtime()
    state = ConfigStateCollector(runtime.config_store)
    heartbeats = HeartbeatCollector(runtime.db, lambda: runtime.config, runtime.clock)
    body = generate_latest(_Chain([event_registry(), state, heartbeats]))
    return Response(body, mimetype=None, content_type=CONTENT_TYPE_LATEST)
