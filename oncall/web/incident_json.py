"""Incidents, their timelines and action items as the API shows them (the document's models).

Built through the answer models of oncall/web/incident_payloads.py, so an answer cannot drift
from the document. Nothing here carries a phone number: people appear by key and name, and the
timeline's texts are masked by the incidents package.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents import service
from oncall.incidents.models import ActionItem, Incident, IncidentAlert
from oncall.incidents.roles import person_name
from oncall.web import incident_payloads as p
from oncall.web.payloads import answer


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def incident_fields(session: Session, config: Config, incident: Incident) -> dict[str, Any]:
    """The fields of the `Incident` model: the incident, its role holders and its alert ids."""
    roles = {
        role: {
            "person": row.person,
            "name": person_name(config, row.person),
            "source": row.source,
            "assigned_at": row.assigned_at.isoformat(),
        }
        for role, row in service.current_roles(session, incident).items()
    }
    alert_ids = session.scalars(
        select(IncidentAlert.alert_id)
        .where(IncidentAlert.incident_id == incident.id)
        .order_by(IncidentAlert.alert_id)
    )
    return {
        "id": incident.id,
        "number": incident.number,
        "title": incident.title,
        "severity": incident.severity,
        "status": incident.status,
        "summary": incident.summary,
        "team": incident.team,
        "declared_at": incident.declared_at.isoformat(),
        "declared_by": incident.declared_by,
        "impact_started_at": _time(incident.impact_started_at),
        "commander_assigned_at": _time(incident.commander_assigned_at),
        "first_monitoring_at": _time(incident.first_monitoring_at),
        "resolved_at": _time(incident.resolved_at),
        "next_update_due_at": _time(incident.next_update_due_at),
        "roles": roles,
        "alert_ids": list(alert_ids),
    }


def incident_json(session: Session, config: Config, incident: Incident) -> dict[str, Any]:
    """One incident without its timeline (lists and the answers to changes)."""
    return answer(p.Incident, **incident_fields(session, config, incident))


def incident_detail_json(session: Session, config: Config, incident: Incident, today: date) -> dict[str, Any]:
    """One incident with its `timeline` (time order) and `action_items`."""
    rows = service.timeline(session, incident, config)
    items = service.action_items(session, state="all", today=today, incident_id=incident.id)
    return answer(
        p.IncidentDetail,
        **incident_fields(session, config, incident),
        timeline=[{"at": r.at.isoformat(), "actor": r.actor, "kind": r.kind, "text": r.text} for r in rows],
        action_items=[action_item_fields(item, incident.number, today) for item in items],
    )


def action_item_fields(item: ActionItem, number: str, today: date) -> dict[str, Any]:
    """The fields of the `ActionItem` model; `overdue` when open and due before `today`."""
    return {
        "id": item.id,
        "incident_id": item.incident_id,
        "incident": number,
        "title": item.title,
        "owner": item.owner,
        "due": item.due.isoformat(),
        "priority": item.priority,
        "done": item.done_at is not None,
        "done_at": _time(item.done_at),
        "done_by": item.done_by,
        "overdue": item.done_at is None and item.due < today,
    }


def action_item_json(item: ActionItem, today: date) -> dict[str, Any]:
    """One action item as the API shows it."""
    return answer(p.ActionItem, **action_item_fields(item, f"INC-{item.incident_id}", today))
