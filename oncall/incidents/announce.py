"""Announce each MTTx measure as it becomes known, once its transaction commits.

The flow notes an `IncidentMeasured` on the session when a moment is stamped (Commander assigned,
first Monitoring, Resolved, alerts attached); the session publishes the notes after the commit,
so a rolled-back action is never measured. The metrics subscribe to them (`oncall.metrics`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from oncall.db import Database
from oncall.events import EventBus
from oncall.incidents.models import Incident
from oncall.incidents.mttx import NO_TEAM, IncidentMeasured

_PENDING = "oncall.incident_measures"


def note_measure(session: Session, incident: Incident, measure: str, seconds: float | None) -> None:
    """Remember one measure of `incident` for publication when the session commits."""
    if seconds is None:
        return
    measured = IncidentMeasured(measure, incident.severity, incident.team or NO_TEAM, seconds)
    session.info.setdefault(_PENDING, []).append(measured)


def publish_incident_measures(db: Database, events: EventBus) -> None:
    """Make every session of `db` publish its committed incident measures on `events`."""

    def publish(session: Session) -> None:
        for measured in session.info.pop(_PENDING, ()):
            events.publish(measured)

    def forget(session: Session, *_: Any) -> None:
        session.info.pop(_PENDING, None)

    event.listen(db.sessions, "after_commit", publish)
    event.listen(db.sessions, "after_rollback", forget)
