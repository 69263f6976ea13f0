"""Store incoming alerts: new episodes, repeats, resolutions — one transaction per request."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import close_alert
from oncall.alerts.intake import IncomingAlert, rule_identity, severity_of
from oncall.alerts.models import Alert, AlertEvent
from oncall.alerts.policy import page_hold_until, route_for
from oncall.config.model import Config
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
    """Store a batch of alerts in the caller's transaction; the caller commits, then answers 2xx."""
    _check_routes(config, incoming)
    keys = {f"{a.source}:{a.dedup_key}" for a in incoming}
    open_by_key = {a.open_key: a for a in session.scalars(select(Alert).where(Alert.open_key.in_(keys)))}
    result = IngestResult()
    repeat_ids: list[int] = []
    for item in incoming:
        key = f"{item.source}:{item.dedup_key}"
        existing = open_by_key.get(key)
        if item.status == "firing":
            if existing is not None:
                repeat_ids.append(existing.id)
                continue
            if _closed_episode_exists(session, item):
                result.ignored += 1  # a late resend of an episode already resolved: never reopen
                continue
            alert = _create(session, config, item, now, adjust)
            open_by_key[key] = alert
            result.created.append(alert.id)
        else:
            if existing is not None:
                resolve_from_source(session, existing, now)
                open_by_key.pop(key)
                result.resolved.append(existing.id)
            elif not _closed_episode_exists(session, item):
                # Resolved before we ever saw it firing: keep it for history; it pages nobody.
                alert = _create(session, config, item, now, adjust, resolved=True)
                result.resolved.append(alert.id)
            else:
                result.ignored += 1
    if repeat_ids:
        session.execute(update(Alert).where(Alert.id.in_(repeat_ids)).values(last_seen_at=now))
        result.repeated = repeat_ids
    return result


def resolve_from_source(session: Session, alert: Alert, now: datetime) -> None:
    """The source says the alert is over: resolve it and stop its escalation."""
    close_alert(session, alert, now, by="source", via="source")


def _check_routes(config: Config, incoming: list[IncomingAlert]) -> None:
    for i, item in enumerate(incoming):
        if item.status == "firing" and route_for(config, item.labels) is None:
            raise NoRouteError(i, item.labels)


def _closed_episode_exists(session: Session, item: IncomingAlert) -> bool:
    if item.source == "api":
        return item.status == "resolved" and _any_episode(session, item)
    return _any_episode(session, item)


def _any_episode(session: Session, item: IncomingAlert) -> bool:
    found = session.scalar(
        select(Alert.id).where(Alert.source == item.source, Alert.dedup_key == item.dedup_key).limit(1)
    )
    return found is not None


def _create(
    session: Session,
    config: Config,
    item: IncomingAlert,
    now: datetime,
    adjust: SeverityAdjuster | None,
    resolved: bool = False,
) -> Alert:
    rule = rule_identity(item, config.auditor.rule_key)
    sev_map = dict(config.severity.mapping)
    base, why = severity_of(item, config.severity.label, sev_map, config.severity.default)
    severity, adjusted_reason = (base, None)
    if adjust is not None and not resolved:
        severity, adjusted_reason = adjust(rule, base)
    route = route_for(config, item.labels)
    alert = Alert(
        source=item.source,
        dedup_key=item.dedup_key,
        open_key=None if resolved else f"{item.source}:{item.dedup_key}",
        rule=rule,
        status="resolved" if resolved else "triggered",
        severity=severity,
        base_severity=base,
        severity_reason=adjusted_reason or why,
        summary=item.summary,
        details=item.details,
        labels=json.dumps(item.labels, sort_keys=True),
        annotations=json.dumps(item.annotations, sort_keys=True),
        runbook_url=item.runbook_url,
        policy=route.escalation if route else None,
        started_at=item.starts_at or now,
        received_at=now,
        last_seen_at=now,
        resolved_at=(item.ends_at or now) if resolved else None,
        resolved_by="source" if resolved else None,
    )
    session.add(alert)
    session.flush()
    detail = f"{base} ({why}) from {item.source}"
    if adjusted_reason:
        detail += f"; pages as {severity}: {adjusted_reason}"
    session.add(AlertEvent(alert_id=alert.id, at=now, kind="received", detail=detail))
    if resolved:
        session.add(AlertEvent(alert_id=alert.id, at=now, kind="resolved", detail="by source"))
        return alert
    hold = page_hold_until(config, severity, now)
    if hold is None:
        session.add(AlertEvent(alert_id=alert.id, at=now, kind="not_paged", detail=f"{severity} never pages"))
    elif alert.policy:
        if hold > now:
            session.add(
                AlertEvent(
                    alert_id=alert.id,
                    at=now,
                    kind="held",
                    detail=f"{severity} pages in business hours only: held until {hold.isoformat()}",
                )
            )
        session.add(
            Escalation(alert_id=alert.id, policy=alert.policy, started_at=hold, cursor=0, next_at=hold)
        )
    return alert
