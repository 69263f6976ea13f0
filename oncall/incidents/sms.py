"""Incidents by SMS and call key: the `IncidentDesk` the conversation hands incident replies to.

`12i` declares an incident from the alerts of reply code 12 (their worst severity, the sender as
Commander), or names the open incident they already belong to. `u INC-7 [status] text` posts a
status update, `n INC-7 text` a note, `a INC-7` acknowledges a role page: each only by someone
who holds a role on that incident. Free text from a Scribe becomes a note on their open
incident; from a Commander or Communications holder reminded of an overdue update, the update.
A refused action answers why (the domain error's message), never an error page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.incidents import service, texts
from oncall.incidents.entries import record
from oncall.incidents.errors import IncidentError
from oncall.incidents.followups import IncidentFollowUps
from oncall.incidents.models import Incident, IncidentAlert, IncidentRole
from oncall.incidents.roles import current_roles, person_name
from oncall.incidents.status import OPEN_STATUSES
from oncall.paging.notices import acknowledge_notices
from oncall.severity import most_severe

TITLE_MAX = service.TITLE_MAX
REMINDED_ROLES = ("commander", "communications")


@dataclass(frozen=True)
class SmsDesk:
    """The running service's incident desk; `follow` pages the roles a declaration assigns."""

    follow: IncidentFollowUps

    def declare_from_alerts(
        self, session: Session, config: Config, alerts: Sequence[Alert], person: str, now: datetime
    ) -> str:
        """Declare from the alerts (or name the open incident they belong to); the answer."""
        first = alerts[0]
        existing = _open_incident_of(session, [a.id for a in alerts])
        if existing is not None:
            commander = current_roles(session, existing).get("commander")
            who = person_name(config, commander.person if commander else None)
            return texts.already_declared_answer(existing.number, existing.severity, first.id, who)
        severity = most_severe(a.severity for a in alerts)
        if severity not in ("SEV-1", "SEV-2", "SEV-3", "SEV-4"):
            severity = "SEV-3"
        try:
            incident = service.declare(
                session,
                config,
                title=_title(first),
                severity=severity,
                now=now,
                actor=person,
                alert_ids=[a.id for a in alerts],
                roles={"commander": person},
                follow=self.follow,
            )
        except IncidentError as refused:
            return f"Not declared: {refused.message}"
        return texts.declared_answer(incident.number, incident.severity, first.id)

    def update(
        self,
        session: Session,
        config: Config,
        person: str,
        *,
        incident_id: int,
        status: str | None,
        text: str,
        now: datetime,
    ) -> str:
        """Post a status update as a role holder (the current status unless one is named)."""
        incident, refusal = _as_holder(session, config, person, incident_id)
        if incident is None:
            return refusal
        if not text and status is None:
            return f"Say what changed: u {incident.number} <text> (or u {incident.number} monitoring <text>)"
        new_status = status or incident.status
        try:
            service.post_update(
                session,
                incident,
                status=new_status,
                impact=text or f"{new_status} (by SMS)",
                now=now,
                actor=person,
                update_every=config.incidents.update_every,
            )
        except IncidentError as refused:
            return f"Not posted: {refused.message}"
        return texts.update_answer(incident.number, new_status)

    def note(
        self, session: Session, config: Config, person: str, *, incident_id: int, text: str, now: datetime
    ) -> str:
        """Add a note as a role holder."""
        incident, refusal = _as_holder(session, config, person, incident_id)
        if incident is None:
            return refusal
        try:
            service.add_note(session, incident, text=text, now=now, actor=person)
        except IncidentError as refused:
            return f"Not noted: {refused.message} (n {incident.number} <text>)"
        return f"Noted on {incident.number}"

    def acknowledge(
        self, session: Session, config: Config, person: str, *, incident_id: int, now: datetime, via: str
    ) -> str:
        """Stop the calls still to come for the sender's pages of this incident."""
        incident, refusal = _as_holder(session, config, person, incident_id)
        if incident is None:
            return refusal
        acknowledge_notices(session, incident.id, person, now)
        roles = [r for r, row in current_roles(session, incident).items() if row.person == person]
        named = ", ".join(texts.ROLE_NAMES[r] for r in roles)
        record(
            session,
            incident,
            "note",
            f"{person_name(config, person)} acknowledged the page ({named}) by {via}",
            now=now,
            actor=person,
        )
        return f"Acknowledged {incident.number}: you are {named}"

    def free_text(
        self, session: Session, config: Config, person: str, text: str, now: datetime
    ) -> str | None:
        """A reminded Commander's update, else a Scribe's note; None when the sender is neither."""
        if not text:
            return None
        reminded = _held(session, person, REMINDED_ROLES, reminded_only=True)
        if len(reminded) == 1:
            return self.update(
                session, config, person, incident_id=reminded[0].id, status=None, text=text, now=now
            )
        scribing = _held(session, person, ("scribe",))
        if not scribing:
            return None
        if len(scribing) > 1:
            numbers = ", ".join(i.number for i in scribing)
            return f"You are Scribe on {numbers}: start with n {scribing[0].number} <text>"
        return self.note(session, config, person, incident_id=scribing[0].id, text=text, now=now)


def _title(alert: Alert) -> str:
    title = f"{alert.rule}: {alert.summary}" if alert.summary else alert.rule
    return title.strip()[:TITLE_MAX] or f"Alert #{alert.id}"


def _open_incident_of(session: Session, alert_ids: list[int]) -> Incident | None:
    return session.scalar(
        select(Incident)
        .join(IncidentAlert, IncidentAlert.incident_id == Incident.id)
        .where(IncidentAlert.alert_id.in_(alert_ids), Incident.status.in_(OPEN_STATUSES))
        .order_by(Incident.id.desc())
        .limit(1)
    )


def _as_holder(
    session: Session, config: Config, person: str, incident_id: int
) -> tuple[Incident | None, str]:
    """The incident when `person` holds a role on it, else None and the answer saying why."""
    incident = session.get(Incident, incident_id)
    if incident is None or not any(r.person == person for r in current_roles(session, incident).values()):
        return None, f"You hold no role on INC-{incident_id}"
    return incident, ""


def _held(
    session: Session, person: str, roles: Sequence[str], *, reminded_only: bool = False
) -> list[Incident]:
    """The open incidents where `person` holds one of `roles` (only those reminded of an update)."""
    query = (
        select(Incident)
        .join(IncidentRole, IncidentRole.incident_id == Incident.id)
        .where(
            IncidentRole.person == person, IncidentRole.role.in_(roles), Incident.status.in_(OPEN_STATUSES)
        )
    )
    if reminded_only:
        query = query.where(Incident.reminders_sent > 0)
    return list(dict.fromkeys(session.scalars(query.order_by(Incident.id.desc()))))
