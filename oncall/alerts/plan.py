"""What a batch of incoming alerts does to the store, as plain data (pure; no I/O).

`plan_ingest` reads what the database knows of the batch's keys (`Known`) and returns an
`IngestPlan`: new episodes with their first timeline lines and escalation start, open alerts the
source resolved, open alerts seen again. `oncall.alerts.service.ingest` reads, plans and writes.
The rules: a repeat of a firing alert pages nobody; a resolved alert never reopens (a late resend
of a closed episode is ignored, except from the generic API, whose keys name a problem, not an
episode); an episode fired and resolved in one payload is stored resolved; a resolution seen
before its firing is kept for history; a firing alert that matches no route refuses the batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from oncall.alerts.holds import HoldLookup, WindowHold, hold_episode
from oncall.alerts.intake import IncomingAlert, rule_identity
from oncall.alerts.policy import route_for
from oncall.config.model import Config, Route
from oncall.severity import classify, page_hold_until

# (rule, base severity) -> (severity to page with, reason when it differs)
SeverityAdjuster = Callable[[str, str], tuple[str, str | None]]


class NoRouteError(ValueError):
    """An alert matched no route and the configuration has no default route."""

    def __init__(self, index: int, labels: dict[str, str]) -> None:
        super().__init__(f"alerts[{index}]: no route matches labels {labels} and there is no default route")
        self.field = f"alerts[{index}].labels"


@dataclass(frozen=True)
class Known:
    """What the store knows of a batch's keys before it is written."""

    open_ids: Mapping[str, int] = field(default_factory=dict)  # open key -> id of the open alert
    closed: frozenset[tuple[str, str]] = frozenset()  # (source, dedup key) with an episode before


class AlertRow(TypedDict):
    """The columns of a new alert (a dict, so the executor inserts it as it is)."""

    source: str
    dedup_key: str
    open_key: str | None
    rule: str
    status: str
    severity: str
    base_severity: str
    severity_reason: str
    summary: str
    details: str
    labels: str
    annotations: str
    runbook_url: str | None
    policy: str | None
    started_at: datetime
    received_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


@dataclass(frozen=True)
class NewEpisode:
    """One alert to insert, its first timeline lines (kind, detail), and when escalation starts."""

    row: AlertRow
    timeline: tuple[tuple[str, str], ...]
    escalate_at: datetime | None  # None: nothing to escalate (resolved, never pages, no policy)
    hold: WindowHold | None = None  # the maintenance window it arrived in

    @property
    def resolved(self) -> bool:
        return self.row["status"] == "resolved"


@dataclass(frozen=True)
class IngestPlan:
    create: tuple[NewEpisode, ...] = ()
    resolve: tuple[int, ...] = ()  # open alerts the source says are over
    repeat: tuple[int, ...] = ()  # open alerts seen firing again: only `last_seen_at` moves
    ignored: int = 0  # late resends of closed episodes


def open_key(item: IncomingAlert) -> str:
    """The key that names an alert's open episode (unique among open alerts)."""
    return f"{item.source}:{item.dedup_key}"


def plan_ingest(
    incoming: list[IncomingAlert],
    known: Known,
    config: Config,
    now: datetime,
    adjust: SeverityAdjuster | None = None,
    *,
    hold: HoldLookup | None = None,
) -> IngestPlan:
    """Decide what a batch stores. Raises NoRouteError (nothing is stored) for an unroutable firing.

    `hold` names the maintenance window an alert's labels fall in: it is stored but pages nobody
    until the window ends.
    """
    to_create, resolve, repeat, ignored = _sort(incoming, known)
    routes = _routes_of(config, incoming, to_create)  # before any write: no route, nothing stored
    adjust = _per_batch_cache(adjust)
    create = tuple(
        _episode(config, item, resolved=resolved, route=route, now=now, adjust=adjust)
        for (item, resolved), route in zip(to_create, routes, strict=True)
    )
    if hold is not None:
        held = (hold(item.labels) for item, _ in to_create)
        tz = config.timezone
        bh = config.business_hours
        create = tuple(hold_episode(e, h, bh, tz) for e, h in zip(create, held, strict=True))
    return IngestPlan(create, tuple(resolve), tuple(repeat), ignored)


def _sort(
    incoming: list[IncomingAlert], known: Known
) -> tuple[list[tuple[IncomingAlert, bool]], list[int], list[int], int]:
    """Each item is a new episode (firing or already resolved), a resolution, a repeat, or ignored."""
    open_ids = dict(known.open_ids)
    to_create: list[tuple[IncomingAlert, bool]] = []
    resolve: list[int] = []
    repeat: list[int] = []
    ignored = 0
    pending: dict[str, int] = {}  # open keys created in this batch -> index in to_create
    for item in incoming:
        key = open_key(item)
        existing = open_ids.get(key)
        was_closed = (item.source, item.dedup_key) in known.closed
        if item.status == "firing":
            if existing is not None:
                repeat.append(existing)
            elif key in pending:
                continue  # the same episode twice in one payload
            elif was_closed and item.source != "api":
                ignored += 1  # a late resend of an episode already resolved: never reopen
            else:
                pending[key] = len(to_create)
                to_create.append((item, False))
        elif existing is not None:
            resolve.append(existing)
            open_ids.pop(key)
        elif key in pending:
            to_create[pending.pop(key)] = (item, True)  # fired and resolved in one payload
        elif not was_closed:
            to_create.append((item, True))  # resolved before we saw it firing: kept for history
        else:
            ignored += 1
    return to_create, resolve, repeat, ignored


def _routes_of(
    config: Config, incoming: list[IncomingAlert], to_create: list[tuple[IncomingAlert, bool]]
) -> list[Route | None]:
    """The route of each new episode; a firing one with no route refuses the whole batch.

    Only new episodes are routed: a repeat already has its policy, so the dedup path skips this.
    """
    routes = []
    for item, resolved in to_create:
        route = route_for(config, item.labels)
        if route is None and not resolved:
            raise NoRouteError(next(i for i, a in enumerate(incoming) if a is item), item.labels)
        routes.append(route)
    return routes


def _per_batch_cache(adjust: SeverityAdjuster | None) -> SeverityAdjuster | None:
    """Ask the auditor once per (rule, severity) in a batch, not once per alert."""
    if adjust is None:
        return None
    cache: dict[tuple[str, str], tuple[str, str | None]] = {}

    def cached(rule: str, base: str) -> tuple[str, str | None]:
        if (rule, base) not in cache:
            cache[(rule, base)] = adjust(rule, base)
        return cache[(rule, base)]

    return cached


def _episode(
    config: Config,
    item: IncomingAlert,
    *,
    resolved: bool,
    route: Route | None,
    now: datetime,
    adjust: SeverityAdjuster | None,
) -> NewEpisode:
    """A new alert's row, its first timeline lines, and when its escalation starts."""
    rule = rule_identity(item, config.auditor.rule_key)
    base, why = classify(item.severity, item.labels, config.severity)
    severity, adjusted = (base, None)
    if adjust is not None and not resolved:
        severity, adjusted = adjust(rule, base)
    policy = route.escalation if route else None
    row: AlertRow = {
        "source": item.source,
        "dedup_key": item.dedup_key,
        "open_key": None if resolved else open_key(item),
        "rule": rule,
        "status": "resolved" if resolved else "triggered",
        "severity": severity,
        "base_severity": base,
        "severity_reason": adjusted or why,
        "summary": item.summary,
        "details": item.details,
        "labels": json.dumps(item.labels, sort_keys=True),
        "annotations": json.dumps(item.annotations, sort_keys=True),
        "runbook_url": item.runbook_url,
        "policy": policy,
        "started_at": item.starts_at or now,
        "received_at": now,
        "last_seen_at": now,
        "resolved_at": (item.ends_at or now) if resolved else None,
        "resolved_by": "source" if resolved else None,
    }
    received = f"{base} ({why}) from {item.source}"
    if adjusted:
        received += f"; pages as {severity}: {adjusted}"
    if resolved:
        return NewEpisode(row, (("received", received), ("resolved", "by source")), None)
    hold = page_hold_until(severity, config.business_hours, now)
    if hold is None:
        return NewEpisode(row, (("received", received), ("not_paged", f"{severity} never pages")), None)
    if not policy:
        return NewEpisode(row, (("received", received),), None)
    if hold > now:
        held = f"{severity} pages in business hours only: held until {hold.isoformat()}"
        return NewEpisode(row, (("received", received), ("held", held)), hold)
    return NewEpisode(row, (("received", received),), hold)
