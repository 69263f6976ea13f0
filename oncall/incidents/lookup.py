"""Read-only lookups the pages need across several incidents: an alert's incidents, commanders."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.incidents.models import Incident, IncidentAlert, IncidentRole


def incidents_of_alert(session: Session, alert_id: int) -> list[Incident]:
    """The incidents an alert is attached to, newest first."""
    return list(
        session.scalars(
            select(Incident)
            .join(IncidentAlert, IncidentAlert.incident_id == Incident.id)
            .where(IncidentAlert.alert_id == alert_id)
            .order_by(Incident.id.desc())
        )
    )


def commanders_of(session: Session, incident_ids: Iterable[int]) -> dict[int, str]:
    """The Commander (a person key) of each of these incidents that has one, by incident id."""
    ids = list(incident_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(IncidentRole.incident_id, IncidentRole.person).where(
            IncidentRole.role == "commander", IncidentRole.incident_id.in_(ids)
        )
    )
    return {incident_id: person for incident_id, person in rows}
