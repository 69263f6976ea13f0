"""MTTx over the incidents declared in a window, read from the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.incidents.models import Incident, IncidentAlert
from oncall.incidents.mttx import Moments, summarize


def first_alert_at(session: Session, incident_id: int) -> datetime | None:
    """When the first of the incident's attached alerts started firing, if it has any."""
    return session.scalar(
        select(func.min(Alert.started_at))
        .join(IncidentAlert, IncidentAlert.alert_id == Alert.id)
        .where(IncidentAlert.incident_id == incident_id)
    )


def moments_of(incident: Incident, first_alert: datetime | None) -> Moments:
    """The instants MTTx is measured between, for one incident."""
    return Moments(
        severity=incident.severity,
        team=incident.team,
        impact_started_at=incident.impact_started_at,
        first_alert_at=first_alert,
        commander_assigned_at=incident.commander_assigned_at,
        first_monitoring_at=incident.first_monitoring_at,
        resolved_at=incident.resolved_at,
    )


def metrics(session: Session, *, since: datetime, now: datetime) -> dict[str, dict]:
    """MTTD/MTTA/MTTM/MTTR of the incidents declared in [since, now]: overall, by severity, by team."""
    firsts = (
        select(IncidentAlert.incident_id, func.min(Alert.started_at).label("first_alert_at"))
        .join(Alert, Alert.id == IncidentAlert.alert_id)
        .group_by(IncidentAlert.incident_id)
        .subquery()
    )
    rows = session.execute(
        select(Incident, firsts.c.first_alert_at)
        .outerjoin(firsts, firsts.c.incident_id == Incident.id)
        .where(Incident.declared_at >= since, Incident.declared_at <= now)
    ).all()
    return summarize(moments_of(incident, first) for incident, first in rows)
