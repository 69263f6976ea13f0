"""Turn what the service does into metric samples: the observers it calls, and `install_metrics`.

The service announces its events through plain callables (DESIGN: the core never imports
prometheus-client): the alert API calls `services.extras["observers"]`, the engine its
`observers`, and `oncall.alerts.actions` its `on_ack` / `on_resolve` hooks.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from oncall.alerts import actions
from oncall.alerts.intake import IncomingAlert, severity_of
from oncall.alerts.models import Alert
from oncall.metrics import registry as m
from oncall.metrics.auditor import set_rule_scores
from oncall.services import Services


def install_metrics(services: Services, engine: Any) -> None:
    """Count received alerts, pages, escalations, engine passes, acks and resolutions of this app."""
    observers = services.extras.setdefault("observers", [])
    observers.append(functools.partial(observe_received, services))
    engine.observers.append(observe_engine)
    engine.tick = timed_tick(engine.tick, services)
    services.extras.setdefault("audit_observers", []).append(set_rule_scores)
    # The action hooks are module-wide and every app shares them: register once, count once.
    if observe_ack not in actions.on_ack:
        actions.on_ack.append(observe_ack)
    if observe_resolve not in actions.on_resolve:
        actions.on_resolve.append(observe_resolve)


def observe_received(services: Services, event: str, **data: Any) -> None:
    """The alert API's observer: `received` with `source`, `alerts` and the ingest `result`."""
    if event != "received":
        return
    config = services.config
    mapping = dict(config.severity.mapping)
    alerts: list[IncomingAlert] = data["alerts"]
    for alert in alerts:
        # The SEV level, not the raw label: a source's free-form value must not explode the series.
        severity, _ = severity_of(alert, config.severity.label, mapping, config.severity.default)
        m.ALERTS_RECEIVED.labels(source=data["source"], severity=severity).inc()
    result = data["result"]
    for outcome, count in (
        ("created", len(result.created)),
        ("repeated", len(result.repeated)),
        ("resolved", len(result.resolved)),
        ("ignored", result.ignored),
    ):
        if count:
            m.ALERTS_INGESTED.labels(outcome=outcome).inc(count)


def observe_engine(event: str, **data: Any) -> None:
    """The engine's observer: `escalation` (level=) and `page` (channel=, outcome=)."""
    if event == "escalation":
        m.ESCALATIONS.labels(level=str(data["level"])).inc()
    elif event == "page":
        m.PAGES.labels(channel=data["channel"], outcome=data["outcome"]).inc()
        if data["outcome"] != "sent":
            m.NOTIFIER_ERRORS.labels(channel=data["channel"]).inc()


def timed_tick(tick: Callable[[], Any], services: Services) -> Callable[[], Any]:
    """Wrap `Engine.tick`: count passes, time them, and observe the lag of every step it ran."""

    @functools.wraps(tick)
    def run() -> Any:
        started = time.perf_counter()
        try:
            stats = tick()
        except Exception:
            m.ENGINE_TICKS.labels(outcome="failed").inc()
            raise
        m.ENGINE_TICK_DURATION.observe(time.perf_counter() - started)
        m.ENGINE_TICKS.labels(outcome="ok").inc()
        m.ENGINE_LAST_TICK.set(services.clock.now().timestamp())
        for lag in getattr(stats, "lags", ()):
            m.ENGINE_LAG.observe(max(0.0, lag))
        return stats

    return run


def observe_ack(alert: Alert, now: datetime) -> None:
    """`actions.on_ack` hook: time from the alert's arrival to this acknowledgement."""
    m.TIME_TO_ACK.labels(severity=alert.severity).observe(_since_arrival(alert, now))


def observe_resolve(alert: Alert, now: datetime) -> None:
    """`actions.on_resolve` hook: time from the alert's arrival to its resolution."""
    by = "source" if alert.resolved_by == "source" else "person"
    m.TIME_TO_RESOLVE.labels(severity=alert.severity, by=by).observe(_since_arrival(alert, now))


def _since_arrival(alert: Alert, now: datetime) -> float:
    return max(0.0, (now - alert.received_at).total_seconds())
