"""The weekly digest of overdue action items: one message per owner per week, in their business hours.

It goes on the first of `incidents: digest_channels` (default: email, then SMS) the owner can be
reached on: an email when they have an address, else an SMS as before.

An owner's digest falls due at the first business-hours moment of their week (Monday 09:00 in
their own time zone with the default business hours) and says how many of their items are
overdue and which is the oldest. It is claimed by stamping `last_digest_at` on their overdue
items with a compare-and-set (none stamped since the week began), and its outbox key names the
owner and the week, so two instances send it once. Overdue items never expire: the digest
repeats every week for as long as they are open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.incidents import texts
from oncall.incidents.action_items import today_for
from oncall.incidents.models import ActionItem, Incident
from oncall.paging import outbox
from oncall.paging.channels import reachable
from oncall.paging.notices import notice_row
from oncall.severity import in_business_hours


@dataclass(frozen=True)
class DigestDue:
    """An owner whose weekly digest may go out now: their week began at `week_start`."""

    owner: str
    week_start: datetime
    week: str  # ISO year and week, e.g. "2026-W13"


def week_start(config: Config, owner: str, now: datetime) -> tuple[datetime, str]:
    """Monday 00:00 of the owner's current week in their time zone, and the week's ISO name."""
    zone = ZoneInfo(config.people[owner].timezone)
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    year, week, _ = monday.isocalendar()
    return datetime.combine(monday, datetime.min.time(), tzinfo=zone), f"{year}-W{week:02d}"


def digests_due(
    session: Session, config: Config, now: datetime, *, ready: frozenset[str] | None = None
) -> list[DigestDue]:
    """Owners with overdue items, in their business hours now, not sent a digest this week.

    `ready`: the channels that have their settings (None: all); the others are passed over."""
    today = today_for(config, now)
    owners = set(session.scalars(select(ActionItem.owner).where(*_overdue(today)).distinct()))
    due = []
    for owner in sorted(owners):
        person = config.people.get(owner)
        if person is None or digest_channel(config, owner, ready) is None:
            continue  # not reachable; the overdue report page still lists the items
        hours = replace(config.business_hours, timezone=person.timezone)
        if not in_business_hours(hours, now):
            continue
        start, week = week_start(config, owner, now)
        if _sent_since(session, owner, start):
            continue
        due.append(DigestDue(owner, start, week))
    return due


def claim_and_send(
    session: Session, config: Config, due: DigestDue, now: datetime, *, ready: frozenset[str] | None = None
) -> bool:
    """Stamp the owner's overdue items and queue their digest; False when another instance did."""
    today = today_for(config, now)
    # The write comes first: it is the claim (a read before it could see a stale snapshot).
    stamped = session.execute(
        update(ActionItem)
        .where(
            *_overdue(today),
            ActionItem.owner == due.owner,
            (ActionItem.last_digest_at.is_(None)) | (ActionItem.last_digest_at < due.week_start),
        )
        .values(last_digest_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not stamped:
        return False
    items = session.execute(
        select(ActionItem.title, ActionItem.due, Incident.id)
        .join(Incident, Incident.id == ActionItem.incident_id)
        .where(*_overdue(today), ActionItem.owner == due.owner)
        .order_by(ActionItem.due, ActionItem.id)
    ).all()
    title, oldest_due, incident_id = items[0]
    channel = digest_channel(config, due.owner, ready) or "sms"
    row = notice_row(
        kind="digest",
        what=due.week,
        person=due.owner,
        channel=channel,
        body=texts.digest(len(items), title, f"INC-{incident_id}", oldest_due),
        due_at=now,
        now=now,
    )
    return outbox.insert_new(session, [row]) == 1


def digest_channel(config: Config, owner: str, ready: frozenset[str] | None = None) -> str | None:
    """The first channel of `incidents: digest_channels` (default email, then SMS) the owner has
    an address for and that has its settings (`ready`; None: all); None: there is none."""
    person = config.people.get(owner)
    if person is None:
        return None
    usable = [c for c in config.incidents.digest_channels if ready is None or c in ready]
    return next(iter(reachable(person, usable)), None)


def _overdue(today: date) -> tuple:
    return (ActionItem.done_at.is_(None), ActionItem.due < today)


def _sent_since(session: Session, owner: str, start: datetime) -> bool:
    found = session.scalar(
        select(ActionItem.id).where(ActionItem.owner == owner, ActionItem.last_digest_at >= start).limit(1)
    )
    return found is not None
