"""The one incidents flow: declare, attach alerts, roles, status updates, notes, lookups.

The API, the web pages, the CLI and SMS replies all act through these functions, in the
caller's transaction (the caller commits). Each takes the session and `now`, and the
configuration where people or rotations are involved; each returns model objects or small
dataclasses. Action items live in `oncall.incidents.action_items`, re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.incidents.action_items import (
    action_items,
    add_action_item,
    get_action_item,
    set_action_item_done,
)
from oncall.incidents.announce import note_measure
from oncall.incidents.drafts import postmortem_text, save_postmortem
from oncall.incidents.entries import record
from oncall.incidents.errors import IncidentNotFound, InvalidIncidentInput, NobodyOnCall, UnknownAlerts
from oncall.incidents.followups import IncidentFollowUps, RoleAssignment
from oncall.incidents.models import Incident, IncidentAlert, IncidentEntry, IncidentRole
from oncall.incidents.mttx import between
from oncall.incidents.mttx_report import first_alert_at, metrics
from oncall.incidents.roles import RoleValue, assign_roles, current_roles
from oncall.incidents.status import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    check_severity,
    check_transition,
    next_update_due,
)
from oncall.incidents.timeline import timeline

__all__ = [
    "IncidentPage",
    "RoleAssignment",
    "action_items",
    "add_action_item",
    "add_note",
    "assign_roles",
    "attach_alerts",
    "current_roles",
    "declare",
    "get",
    "get_action_item",
    "list_incidents",
    "metrics",
    "postmortem_text",
    "save_postmortem",
    "timeline",
    "open_incident_for_scribe",
    "post_update",
    "set_action_item_done",
]

TITLE_MAX = 300
TEXT_MAX = 10_000


@dataclass(frozen=True)
class IncidentPage:
    """One page of incidents, newest first; `next_after_id` continues it (None: no more)."""

    incidents: list[Incident]
    total: int
    next_after_id: int | None


def declare(
    session: Session,
    config: Config,
    *,
    title: str,
    severity: str,
    now: datetime,
    actor: str,
    alert_ids: Iterable[int] = (),
    summary: str | None = None,
    impact_started_at: datetime | None = None,
    roles: Mapping[str, RoleValue] | None = None,
    follow: IncidentFollowUps,
) -> Incident:
    """Declare an incident (status Investigating), attach its alerts and assign its roles.

    Roles not given come from the `incidents:` section's default sources; a default rotation with
    nobody on call is skipped (the timeline says so), an explicit one is an error. The first
    status update falls due after the severity's interval.
    """
    title = _text(title, "title", TITLE_MAX)
    check_severity(severity)
    if impact_started_at is not None and impact_started_at > now:
        raise InvalidIncidentInput("impact_started_at cannot be in the future", "impact_started_at")
    if summary is not None and len(summary) > TEXT_MAX:
        raise InvalidIncidentInput(f"summary must be at most {TEXT_MAX} characters", "summary")
    alert_ids = list(alert_ids)
    _alerts_by_id(session, alert_ids)  # unknown ids are refused before anything is written
    incident = Incident(
        title=title,
        severity=severity,
        status="Investigating",
        summary=summary or None,
        declared_at=now,
        declared_by=actor,
        impact_started_at=impact_started_at,
        next_update_due_at=next_update_due(severity, now, config.incidents.update_every),
        reminders_sent=0,
        updated_at=now,
    )
    session.add(incident)
    session.flush()
    record(
        session,
        incident,
        "declared",
        f"declared {severity}: {title}",
        now=now,
        actor=actor,
        status="Investigating",
    )
    attach_alerts(session, incident, alert_ids, now=now, actor=actor)
    _assign_with_defaults(session, config, incident, dict(roles or {}), now=now, actor=actor, follow=follow)
    follow.declared(session, config, incident, now)
    return incident


def _assign_with_defaults(
    session: Session,
    config: Config,
    incident: Incident,
    given: dict[str, RoleValue],
    *,
    now: datetime,
    actor: str,
    follow: IncidentFollowUps,
) -> None:
    """The given roles plus the configured defaults for the others, in one assignment."""
    defaults: dict[str, RoleValue] = {r: t for r, t in config.incidents.roles.items() if r not in given}
    while True:
        try:
            assign_roles(
                session, config, incident, {**defaults, **given}, now=now, actor=actor, follow=follow
            )
            return
        except NobodyOnCall as gap:
            role = (gap.field or "").removeprefix("roles.")
            if role not in defaults:
                raise
            del defaults[role]
            record(session, incident, "note", f"No {role} assigned: {gap.message}", now=now, actor=actor)


def attach_alerts(
    session: Session, incident: Incident, alert_ids: Iterable[int], *, now: datetime, actor: str
) -> list[int]:
    """Attach alerts to the incident; the ids newly attached (ones attached already are skipped).

    Unknown ids are refused before anything is attached. The first alert with a `team` label
    (else an escalation policy) names the incident's team when it has none yet.
    """
    wanted = list(dict.fromkeys(int(a) for a in alert_ids))
    if not wanted:
        return []
    alerts = _alerts_by_id(session, wanted)
    attached = set(
        session.scalars(
            select(IncidentAlert.alert_id).where(
                IncidentAlert.incident_id == incident.id, IncidentAlert.alert_id.in_(wanted)
            )
        )
    )
    new = [a for a in wanted if a not in attached]
    had_alerts = first_alert_at(session, incident.id) is not None
    for alert_id in new:
        alert = alerts[alert_id]
        session.add(IncidentAlert(incident_id=incident.id, alert_id=alert_id, attached_at=now))
        record(
            session,
            incident,
            "alert",
            f"Alert #{alert_id} {alert.rule} attached",
            now=now,
            actor=actor,
            details={"alert_id": alert_id},
        )
        if incident.team is None:
            incident.team = team_of(alert)
    session.flush()
    if new and not had_alerts:
        _measure_first_alert(session, incident)
    return new


def _measure_first_alert(session: Session, incident: Incident) -> None:
    """The first alerts are attached: MTTD (from the impact start) and MTTA (to the Commander) are known."""
    first = first_alert_at(session, incident.id)
    note_measure(session, incident, "mttd", between(incident.impact_started_at, first))
    note_measure(session, incident, "mtta", between(first, incident.commander_assigned_at))


def _alerts_by_id(session: Session, alert_ids: Iterable[int]) -> dict[int, Alert]:
    """The alerts with these ids; UnknownAlerts naming every id that has none."""
    wanted = list(dict.fromkeys(int(a) for a in alert_ids))
    if not wanted:
        return {}
    alerts = {a.id: a for a in session.scalars(select(Alert).where(Alert.id.in_(wanted)))}
    missing = [a for a in wanted if a not in alerts]
    if missing:
        raise UnknownAlerts(f"no alert {', '.join(f'#{a}' for a in missing)}", "alert_ids")
    return alerts


def team_of(alert: Alert) -> str | None:
    """The team an alert belongs to: its `team` label, else its escalation policy."""
    try:
        labels = json.loads(alert.labels or "{}")
    except ValueError:
        labels = {}
    team = labels.get("team") if isinstance(labels, dict) else None
    return str(team)[:100] if team else alert.policy


def post_update(
    session: Session,
    incident: Incident,
    *,
    status: str,
    impact: str,
    current_work: str | None = None,
    next_update_in: timedelta | None = None,
    now: datetime,
    actor: str,
    update_every: Mapping[str, timedelta],
) -> IncidentEntry:
    """Post a status update: checks the move, stamps the milestones, sets when the next is due.

    Monitoring the first time sets `first_monitoring_at`; Resolved (or Post-Incident) sets
    `resolved_at`. The next update falls due after `next_update_in`, else the severity's
    interval from `update_every`; at Resolved and Post-Incident none is due. Reminders start over.
    """
    check_transition(incident.status, status)
    impact = _text(impact, "impact", TEXT_MAX)
    if next_update_in is not None and next_update_in <= timedelta(0):
        raise InvalidIncidentInput("next_update_in must be longer than 0", "next_update_in")
    incident.status = status
    if status == "Monitoring" and incident.first_monitoring_at is None:
        incident.first_monitoring_at = now
        note_measure(session, incident, "mttm", between(incident.commander_assigned_at, now))
    if status in CLOSED_STATUSES:
        if incident.resolved_at is None:
            incident.resolved_at = now
            note_measure(session, incident, "mttr", between(incident.commander_assigned_at, now))
        incident.next_update_due_at = None
    else:
        incident.next_update_due_at = (
            now + next_update_in
            if next_update_in is not None
            else next_update_due(incident.severity, now, update_every)
        )
    incident.reminders_sent = 0
    number = _update_count(session, incident) + 1
    text = f"Status {status} — impact: {impact}" + (f"; current work: {current_work}" if current_work else "")
    due = incident.next_update_due_at
    details = {
        "number": number,
        "impact": impact,
        "current_work": current_work,
        "next_update_at": due.isoformat() if due else None,
    }
    return record(session, incident, "update", text, now=now, actor=actor, status=status, details=details)


def _update_count(session: Session, incident: Incident) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(IncidentEntry)
            .where(IncidentEntry.incident_id == incident.id, IncidentEntry.kind == "update")
        )
        or 0
    )


def add_note(
    session: Session, incident: Incident, *, text: str, now: datetime, actor: str, kind: str = "note"
) -> IncidentEntry:
    """Add a note (or, for the paging side, a `reminder` line) to the incident's timeline."""
    return record(session, incident, kind, _text(text, "text", TEXT_MAX), now=now, actor=actor)


def get(session: Session, incident_id: int) -> Incident:
    """The incident with that id; IncidentNotFound otherwise."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(incident_id)
    return incident


def list_incidents(
    session: Session, *, status: str = "open", limit: int = 50, after_id: int | None = None
) -> IncidentPage:
    """Incidents newest first (`open`: not Resolved or Post-Incident; `all`), keyset by id.

    `after_id` continues after the last id of the previous page; `total` counts them all.
    """
    if status not in ("open", "all"):
        raise InvalidIncidentInput(f"status must be open or all, not {status!r}", "status")
    if limit < 1:
        raise InvalidIncidentInput("limit must be at least 1", "limit")
    query = select(Incident)
    if status == "open":
        query = query.where(Incident.status.in_(OPEN_STATUSES))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if after_id is not None:
        query = query.where(Incident.id < after_id)
    rows = list(session.scalars(query.order_by(Incident.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return IncidentPage(rows, total, rows[-1].id if more else None)


def open_incident_for_scribe(session: Session, person: str) -> Incident | None:
    """The newest open incident whose Scribe is `person` (where their free-text SMS goes), if any."""
    return session.scalar(
        select(Incident)
        .join(IncidentRole, IncidentRole.incident_id == Incident.id)
        .where(
            IncidentRole.role == "scribe", IncidentRole.person == person, Incident.status.in_(OPEN_STATUSES)
        )
        .order_by(Incident.id.desc())
        .limit(1)
    )


def _text(value: str | None, field: str, longest: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidIncidentInput(f"{field} must not be empty", field)
    if len(text) > longest:
        raise InvalidIncidentInput(f"{field} must be at most {longest} characters", field)
    return text
