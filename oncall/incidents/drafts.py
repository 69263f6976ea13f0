"""The postmortem of an incident: the saved draft when someone edited one, else generated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents.action_items import action_items
from oncall.incidents.entries import record
from oncall.incidents.errors import InvalidIncidentInput
from oncall.incidents.models import Incident
from oncall.incidents.postmortem import Item, Snapshot, render
from oncall.incidents.roles import current_roles, person_name
from oncall.incidents.timeline import timeline

DRAFT_MAX = 200_000  # characters; a postmortem is a few pages


def snapshot(session: Session, config: Config, incident: Incident) -> Snapshot:
    """The plain data the postmortem is rendered from (timeline, roles, action items)."""
    roles = {
        role: (row.person, person_name(config, row.person))
        for role, row in current_roles(session, incident).items()
    }
    items = [
        Item(i.title, person_name(config, i.owner), i.due, i.priority, i.done_at is not None)
        for i in action_items(
            session, state="all", today=incident.declared_at.date(), incident_id=incident.id
        )
    ]
    return Snapshot(
        number=incident.number,
        title=incident.title,
        severity=incident.severity,
        declared_at=incident.declared_at,
        timezone=config.timezone,
        summary=incident.summary,
        impact_started_at=incident.impact_started_at,
        resolved_at=incident.resolved_at,
        roles=roles,
        timeline=timeline(session, incident, config),
        action_items=items,
    )


def postmortem_text(session: Session, config: Config, incident: Incident) -> str:
    """The saved draft if one was saved, else the draft generated from the incident now."""
    if incident.postmortem_draft is not None:
        return incident.postmortem_draft
    return render(snapshot(session, config, incident))


def save_postmortem(session: Session, incident: Incident, text: str, *, now: datetime, actor: str) -> None:
    """Keep an edited draft: later reads return it as saved."""
    if not text.strip():
        raise InvalidIncidentInput("the postmortem is empty", "postmortem")
    if len(text) > DRAFT_MAX:
        raise InvalidIncidentInput(f"the postmortem must be at most {DRAFT_MAX:,} characters", "postmortem")
    incident.postmortem_draft = text
    record(session, incident, "postmortem", "Postmortem draft saved", now=now, actor=actor)
