"""Paging the people given incident roles, through the outbox (the `IncidentFollowUps` the service uses).

SEV-1 and SEV-2 role holders are paged like an alert's level: the severity's channels (SEV-1 SMS
and a call at once; SEV-2 SMS, then a call after the voice delay unless they answer `a INC-7`),
a call instead of the SMS for someone who texted STOP, and from there the outbox's rate limit,
retries and SMS-to-voice fallback. SEV-3/4 holders get one SMS notice, held to the next
business-hours start like a SEV-3 alert page. Each page is an outbox notice keyed by incident,
role, person and channel, so a person given the same role again is not paged twice. Someone with
no phone number is skipped with a timeline line saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents import texts
from oncall.incidents.entries import record
from oncall.incidents.followups import RoleAssignment
from oncall.incidents.models import Incident
from oncall.incidents.postmortem import SYSTEM
from oncall.incidents.roles import current_roles, person_name
from oncall.incidents.status import CLOSED_STATUSES
from oncall.paging import outbox
from oncall.paging.models import Notification, SmsOptOut
from oncall.paging.notices import notice_row
from oncall.severity import ChannelPlan, channels, next_business_start

PAGED_SEVERITIES = frozenset({"SEV-1", "SEV-2"})
ACTOR = SYSTEM  # role pages are written in the timeline as the service's own doing
_CHANNEL_WORDS = {"sms": "SMS", "voice": "call"}


@dataclass(frozen=True)
class IncidentPager:
    """The running service's incident follow-ups: page the new role holders (stateless)."""

    voice_delay: timedelta = timedelta(minutes=2)

    def declared(self, session: Session, config: Config, incident: Incident, now: datetime) -> None:
        """Nothing more: the roles given at declaration were paged by `roles_assigned`."""

    def roles_assigned(
        self,
        session: Session,
        config: Config,
        incident: Incident,
        assignments: Sequence[RoleAssignment],
        now: datetime,
    ) -> None:
        """Page each new holder (not one who took the role themselves); the previous holder's pages stop."""
        held = current_roles(session, incident)
        for change in assignments:
            if change.previous is not None:
                cancel_role_pages(session, incident, change.role, change.previous)
            row = held.get(change.role)
            if row is not None and row.assigned_by == change.person:
                continue  # they gave themselves the role (`12i`): nothing to tell them
            page_role_holder(
                session, config, incident, change.role, change.person, now=now, voice_delay=self.voice_delay
            )


def page_role_holder(
    session: Session,
    config: Config,
    incident: Incident,
    role: str,
    person: str,
    *,
    now: datetime,
    voice_delay: timedelta,
) -> int:
    """Queue the page (SEV-1/2) or business-hours notice (SEV-3/4) of one role holder; rows queued."""
    who = person_name(config, person)
    if not reachable(session, config, incident, person, purpose=f"as {texts.ROLE_NAMES[role]}", now=now):
        return 0
    what = f"{incident.id}.{role}"
    if incident.severity in PAGED_SEVERITIES:
        body = texts.role_page(incident.number, incident.severity, incident.title, role)
        plans = _channels(session, incident.severity, person, voice_delay)
        rows = [
            notice_row(
                kind="role",
                what=what,
                person=person,
                channel=plan.channel,
                body=body,
                due_at=now + plan.delay,
                now=now,
                incident_id=incident.id,
                cancel_if_acked=plan.cancel_if_acked,
            )
            for plan in plans
        ]
        how = " and ".join(dict.fromkeys(_CHANNEL_WORDS[p.channel] for p in plans))
        line = f"Paging {who} ({texts.ROLE_NAMES[role]}) by {how}"
    else:
        body = texts.role_notice(incident.number, incident.severity, incident.title, role)
        due = next_business_start(config.business_hours, now)
        rows = [
            notice_row(
                kind="notice",
                what=what,
                person=person,
                channel="sms",
                body=body,
                due_at=due,
                now=now,
                incident_id=incident.id,
            )
        ]
        when = "now" if due <= now else f"at {due.isoformat(timespec='minutes')} (business hours)"
        line = f"SMS notice to {who} ({texts.ROLE_NAMES[role]}) {when}"
    queued = outbox.insert_new(session, rows)
    if queued:
        record(
            session, incident, "note", line, now=now, actor=ACTOR, details={"role": role, "person": person}
        )
    return queued


def _channels(session: Session, severity: str, person: str, voice_delay: timedelta) -> list[ChannelPlan]:
    """The severity's channels; a call instead of the SMS for someone who texted STOP."""
    plans = channels(severity, voice_delay)
    if session.get(SmsOptOut, person) is not None:
        plans = [p for p in plans if p.channel != "sms"]
        if not any(p.channel == "voice" for p in plans):
            plans.append(ChannelPlan("voice", timedelta(0), False))
    return plans


def reachable(
    session: Session, config: Config, incident: Incident, person: str, *, purpose: str, now: datetime
) -> bool:
    """Whether `person` can be messaged; when not, the incident's timeline says why."""
    known = config.people.get(person)
    if known is not None and known.phone is not None:
        return True
    why = "has no phone number" if known is not None else "is not in the configuration"
    record(
        session,
        incident,
        "note",
        f"{person_name(config, person)} {why} and cannot be paged {purpose}",
        now=now,
        actor=ACTOR,
        details={"person": person, "skipped": why},
    )
    return False


def cancel_role_pages(session: Session, incident: Incident, role: str, person: str) -> int:
    """Cancel the pages of `role` not yet sent to `person` (the role went to someone else)."""
    prefixes = (f"role:{incident.id}.{role}:{person}:%", f"notice:{incident.id}.{role}:{person}:%")
    result = session.execute(
        update(Notification)
        .where(
            Notification.incident_id == incident.id,
            Notification.status == "pending",
            Notification.key.like(prefixes[0]) | Notification.key.like(prefixes[1]),
        )
        .values(status="cancelled"),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def cancel_closed_incidents_notices(session: Session) -> int:
    """Cancel every notice not yet sent of incidents that are Resolved or in their postmortem.

    Runs before each send pass, so it reads first: an idle tick takes no write lock.
    """
    closed = select(Incident.id).where(Incident.status.in_(sorted(CLOSED_STATUSES)))
    moot = (Notification.status == "pending", Notification.incident_id.in_(closed))
    if session.scalar(select(Notification.id).where(*moot).limit(1)) is None:
        return 0
    result = session.execute(
        update(Notification).where(*moot).values(status="cancelled"),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0
