"""Store incoming alerts: new episodes, repeats, resolutions — one transaction per request."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import close_alert
from oncall.alerts.intake import IncomingAlert, rule_identity, severity_of
from oncall.alerts.models import Alert, AlertEvent
from oncall.alerts.policy import page_hold_until, route_for
from oncall.config.model import Config, Route
from oncall.escalation.models import Escalation

# (rule, base severity) -> (severity to page with, reason when it differs)
SeverityAdjuster = Callable[[str, str], tuple[str, str | None]]


class NoRouteError(ValueError):
    """An alert matched no route and the configuration has no default route."""

    def __init__(self, index: int, labels: dict[str, str]) -> None:
        super().__init__(f"alerts[{index}]: no route matches labels {labels} and there is no default route")
        self.field = f"alerts[{index}].labels"


@dataclass
class IngestResult:
    created: list[int] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    ignored: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "repeated": len(self.repeated),
            "resolved": self.resolved,
            "ignored": self.ignored,
        }


def ingest(
    session: Session,
    config: Config,
    incoming: list[IncomingAlert],
    now: datetime,
    adjust: SeverityAdjuster | None = None,
) -> IngestResult:
    """Store a batch of alerts in the caller's transaction; the caller commits, then answers 2xx.

    A request costs a fixed handful of statements whatever its size: one lookup of open
    episodes, one of closed ones, one multi-row insert per table, one update for repeats.
    """
    keys = {f"{a.source}:{a.dedup_key}" for a in incoming}
    open_ids = dict(session.execute(select(Alert.open_key, Alert.id).where(Alert.open_key.in_(keys))).all())
    closed = _closed_episodes(session, incoming, open_ids)
    adjust = _per_request_cache(adjust)
    result = IngestResult()
    repeat_ids: list[int] = []
    to_create: list[tuple[IncomingAlert, bool]] = []
    to_resolve: list[int] = []
    pending: dict[str, int] = {}  # open keys created in this batch -> index in to_create
    for item in incoming:
        key = f"{item.source}:{item.dedup_key}"
        existing = open_ids.get(key)
        if item.status == "firing":
            if existing is not None:
                repeat_ids.append(existing)
            elif key in pending:
                continue  # the same episode twice in one payload
            elif (item.source, item.dedup_key) in closed and item.source != "api":
                result.ignored += 1  # a late resend of an episode already resolved: never reopen
            else:
                pending[key] = len(to_create)
                to_create.append((item, False))
        elif existing is not None:
            to_resolve.append(existing)
            open_ids.pop(key)
        elif key in pending:
            to_create[pending.pop(key)] = (item, True)  # fired and resolved in one payload
        elif (item.source, item.dedup_key) not in closed:
            to_create.append((item, True))  # resolved before we saw it firing: kept for history
        else:
            result.ignored += 1
    routes = _routes_of(config, incoming, to_create)  # before any write: no route, nothing stored
    created = _create_many(session, config, to_create, routes, now, adjust)
    result.created = [alert_id for alert_id, resolved in created if not resolved]
    result.resolved = [alert_id for alert_id, resolved in created if resolved]
    if to_resolve:
        for alert in session.scalars(select(Alert).where(Alert.id.in_(to_resolve))):
            resolve_from_source(session, alert, now)
        result.resolved.extend(to_resolve)
    if repeat_ids:
        session.execute(
            update(Alert).where(Alert.id.in_(repeat_ids)).values(last_seen_at=now),
            execution_options={"synchronize_session": False},
        )
        result.repeated = repeat_ids
    return result


def resolve_from_source(session: Session, alert: Alert, now: datetime) -> None:
    """The source says the alert is over: resolve it and stop its escalation."""
    close_alert(session, alert, now, by="source", via="source")


def _routes_of(
    config: Config, incoming: list[IncomingAlert], to_create: list[tuple[IncomingAlert, bool]]
) -> list[Route | None]:
    """The route of each new episode; a firing one with no route refuses the whole request.

    Only new episodes are routed: a repeat already has its policy, so the dedup path skips this.
    """
    routes = []
    for item, resolved in to_create:
        route = route_for(config, item.labels)
        if route is None and not resolved:
            raise NoRouteError(next(i for i, a in enumerate(incoming) if a is item), item.labels)
        routes.append(route)
    return routes


def _closed_episodes(
    session: Session, incoming: list[IncomingAlert], open_ids: dict[str, int]
) -> set[tuple[str, str]]:
    """(source, dedup_key) of the items that are not open but have had an episode before."""
    wanted = {(a.source, a.dedup_key) for a in incoming if f"{a.source}:{a.dedup_key}" not in open_ids}
    if not wanted:
        return set()
    rows = session.execute(
        select(Alert.source, Alert.dedup_key).where(Alert.dedup_key.in_({k for _, k in wanted}))
    ).all()
    return {(src, key) for src, key in rows if (src, key) in wanted}


def _per_request_cache(adjust: SeverityAdjuster | None) -> SeverityAdjuster | None:
    """Ask the auditor once per (rule, severity) in a request, not once per alert."""
    if adjust is None:
        return None
    cache: dict[tuple[str, str], tuple[str, str | None]] = {}

    def cached(rule: str, base: str) -> tuple[str, str | None]:
        if (rule, base) not in cache:
            cache[(rule, base)] = adjust(rule, base)
        return cache[(rule, base)]

    return cached


def _create_many(
    session: Session,
    config: Config,
    items: list[tuple[IncomingAlert, bool]],
    routes: list[Route | None],
    now: datetime,
    adjust: SeverityAdjuster | None,
) -> list[tuple[int, bool]]:
    """Insert new episodes, their first timeline lines and escalations in one statement each."""
    if not items:
        return []
    sev_map = dict(config.severity.mapping)
    rows, notes = [], []
    for (item, resolved), route in zip(items, routes, strict=True):
        rule = rule_identity(item, config.auditor.rule_key)
        base, why = severity_of(item, config.severity.label, sev_map, config.severity.default)
        severity, adjusted = (base, None)
        if adjust is not None and not resolved:
            severity, adjusted = adjust(rule, base)
        rows.append(
            {
                "source": item.source,
                "dedup_key": item.dedup_key,
                "open_key": None if resolved else f"{item.source}:{item.dedup_key}",
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
                "policy": route.escalation if route else None,
                "started_at": item.starts_at or now,
                "received_at": now,
                "last_seen_at": now,
                "resolved_at": (item.ends_at or now) if resolved else None,
                "resolved_by": "source" if resolved else None,
            }
        )
        detail = f"{base} ({why}) from {item.source}"
        if adjusted:
            detail += f"; pages as {severity}: {adjusted}"
        notes.append(detail)
    # Core inserts: the ORM's bulk path costs more than the statements themselves here.
    ids = (
        session.execute(
            insert(Alert.__table__).returning(Alert.__table__.c.id, sort_by_parameter_order=True), rows
        )
        .scalars()
        .all()
    )
    events, escalations = [], []
    for alert_id, row, detail in zip(ids, rows, notes, strict=True):
        events.append({"alert_id": alert_id, "at": now, "kind": "received", "detail": detail})
        if row["status"] == "resolved":
            events.append({"alert_id": alert_id, "at": now, "kind": "resolved", "detail": "by source"})
            continue
        severity = row["severity"]
        hold = page_hold_until(config, severity, now)
        if hold is None:
            events.append(
                {"alert_id": alert_id, "at": now, "kind": "not_paged", "detail": f"{severity} never pages"}
            )
        elif row["policy"]:
            if hold > now:
                events.append(
                    {
                        "alert_id": alert_id,
                        "at": now,
                        "kind": "held",
                        "detail": f"{severity} pages in business hours only: held until {hold.isoformat()}",
                    }
                )
            escalations.append(
                {
                    "alert_id": alert_id,
                    "policy": row["policy"],
                    "started_at": hold,
                    "cursor": 0,
                    "next_at": hold,
                    "shift_seconds": 0.0,
                    "last_round": -1,
                    "last_level": -1,
                }
            )
    session.execute(insert(AlertEvent.__table__), events)
    if escalations:
        session.execute(insert(Escalation.__table__), escalations)
    return [(alert_id, row["status"] == "resolved") for alert_id, row in zip(ids, rows, strict=True)]
