"""What the service announces, and the one way to listen: `events.subscribe(Kind, callback)`.

The flows publish typed records after their transaction committed; metrics (and the engine's
wake-up) subscribe through the runtime's `EventBus`. Plain data: nothing here imports Flask,
SQLAlchemy or prometheus-client.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

log = logging.getLogger("oncall.events")


@dataclass(frozen=True)
class AlertsReceived:
    """A webhook delivery was stored: what came in and what the ingest made of it."""

    source: str  # "alertmanager" | "grafana" | "api"
    severities: tuple[str, ...]  # the SEV level of each incoming alert, in order
    created: int
    repeated: int
    resolved: int
    ignored: int


@dataclass(frozen=True)
class AlertChanged:
    """An alert was acknowledged or resolved (by a person, the API, an SMS, a call or its source)."""

    alert_id: int
    status: str  # "acknowledged" | "resolved"
    severity: str
    received_at: datetime
    at: datetime
    by: str | None


@dataclass(frozen=True)
class EscalationStepped:
    """The engine notified a level of an escalation policy (1-based)."""

    level: int


@dataclass(frozen=True)
class PageSent:
    """One SMS or call was handed to the notifier: `outcome` is "sent" or "failed"."""

    channel: str  # "sms" | "call"
    outcome: str


@dataclass(frozen=True)
class EngineTicked:
    """One engine pass finished (`ok`) or raised; `lags` are how late each step ran, in seconds."""

    ok: bool
    seconds: float
    at: datetime
    lags: Sequence[float] = field(default_factory=tuple)


@dataclass(frozen=True)
class AuditCompleted:
    """The auditor built a report (`alertaudit.report.Report`), whoever asked: API, CLI, daily job."""

    report: Any
    applied: int  # decisions recorded (auto mode)


Event = AlertsReceived | AlertChanged | EscalationStepped | PageSent | EngineTicked | AuditCompleted
E = TypeVar("E")


class EventBus:
    """Synchronous publish/subscribe by record type; thread safe.

    A subscriber that raises is logged and skipped: what was published has already happened
    (committed, sent), so a failing listener must not turn it into an error.
    """

    def __init__(self) -> None:
        self._subscribers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)
        self._lock = threading.Lock()

    def subscribe(self, kind: type[E], callback: Callable[[E], None]) -> None:
        """Call `callback(event)` for every published event of type `kind` (once, however often
        the same callback subscribes: two apps over one runtime count each event once)."""
        with self._lock:
            if callback not in self._subscribers[kind]:
                self._subscribers[kind].append(callback)

    def publish(self, event: Event) -> None:
        """Hand `event` to the subscribers of its type, in the order they subscribed."""
        with self._lock:
            callbacks = list(self._subscribers.get(type(event), ()))
        for callback in callbacks:
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", callback, type(event).__name__)
