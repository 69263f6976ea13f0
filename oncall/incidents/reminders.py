"""Status-update reminders: the Commander when an update is overdue, Communications too an interval later.

`next_update_due_at` is set by each status update (none at Resolved and after). Reminder n of
an overdue update falls due at `next_update_due_at + n × interval` (the severity's
`incidents.update_every`): reminder 0 goes to the Commander, each later one to the Commander and
Communications, until an update is posted or the incident is resolved. Each reminder is claimed
with a compare-and-set on `reminders_sent` (same due time, same count), so any number of
instances on one database send it once; the outbox key of each message is a second guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents import texts
from oncall.incidents.entries import record
from oncall.incidents.models import Incident
from oncall.incidents.notify import ACTOR, reachable
from oncall.incidents.roles import current_roles, person_name
from oncall.incidents.status import OPEN_STATUSES
from oncall.paging import outbox
from oncall.paging.notices import notice_row

FIRST_ROLES = ("commander",)
LATER_ROLES = ("commander", "communications")


@dataclass(frozen=True)
class Overdue:
    """An incident whose status update is overdue, as read before claiming its next reminder."""

    incident_id: int
    due_at: datetime
    sent: int


def reminder_due_at(due_at: datetime, sent: int, interval: timedelta | None) -> datetime | None:
    """When reminder number `sent` (0-based) falls due; None when no more are sent (no interval)."""
    if sent == 0:
        return due_at
    return None if interval is None else due_at + sent * interval


def reminders_due(session: Session, config: Config, now: datetime) -> list[Overdue]:
    """The reminders due at `now`, as read (claim each with `claim_and_remind` in its own transaction)."""
    query = select(
        Incident.id, Incident.severity, Incident.next_update_due_at, Incident.reminders_sent
    ).where(
        Incident.next_update_due_at.is_not(None),
        Incident.next_update_due_at <= now,
        Incident.status.in_(OPEN_STATUSES),
    )
    due = []
    for incident_id, severity, due_at, sent in session.execute(query):
        at = reminder_due_at(due_at, sent or 0, config.incidents.update_every.get(severity))
        if at is not None and at <= now:
            due.append(Overdue(incident_id, due_at, sent or 0))
    return due


def claim_and_remind(session: Session, config: Config, overdue: Overdue, now: datetime) -> bool:
    """Claim one reminder and queue its messages; False when another instance (or an update) won."""
    if not claim(session, overdue):
        return False
    incident = session.get(Incident, overdue.incident_id)
    if incident is None:
        return False
    remind(session, config, incident, overdue, now)
    return True


def claim(session: Session, overdue: Overdue) -> bool:
    """Take reminder number `overdue.sent` for this instance: True for exactly one claimer."""
    result = session.execute(
        update(Incident)
        .where(
            Incident.id == overdue.incident_id,
            Incident.next_update_due_at == overdue.due_at,
            Incident.reminders_sent == overdue.sent,
            Incident.status.in_(OPEN_STATUSES),
        )
        .values(reminders_sent=overdue.sent + 1),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def remind(session: Session, config: Config, incident: Incident, overdue: Overdue, now: datetime) -> int:
    """Queue the SMS of one claimed reminder to its role holders; how many were queued."""
    holders = current_roles(session, incident)
    roles = FIRST_ROLES if overdue.sent == 0 else LATER_ROLES
    what = f"{incident.id}.{int(overdue.due_at.timestamp())}.{overdue.sent}"
    queued, told = 0, []
    for role in roles:
        holder = holders.get(role)
        if holder is None:
            record(
                session, incident, "reminder", f"No {texts.ROLE_NAMES[role]} to remind", now=now, actor=ACTOR
            )
            continue
        if not reachable(
            session, config, incident, holder.person, purpose="with the update reminder", now=now
        ):
            continue
        row = notice_row(
            kind="reminder",
            what=what,
            person=holder.person,
            channel="sms",
            body=texts.reminder(incident.number),
            due_at=now,
            now=now,
            incident_id=incident.id,
        )
        queued += outbox.insert_new(session, [row])
        told.append(f"{person_name(config, holder.person)} ({texts.ROLE_NAMES[role]})")
    if told:
        late = int((now - overdue.due_at).total_seconds() // 60)
        record(
            session,
            incident,
            "reminder",
            f"Status update overdue by {late} min: reminded {', '.join(told)}",
            now=now,
            actor=ACTOR,
        )
    return queued
