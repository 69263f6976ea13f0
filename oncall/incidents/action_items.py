"""Action items: what an incident's postmortem asks someone to do, by when; overdue ones are reported."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.config.model import Config
from oncall.config.values import did_you_mean
from oncall.incidents.errors import ActionItemNotFound, InvalidIncidentInput, UnknownPerson
from oncall.incidents.models import ActionItem, Incident
from oncall.incidents.status import check_priority

STATES = ("open", "overdue", "all")
TITLE_MAX = 300


def add_action_item(
    session: Session,
    config: Config,
    incident: Incident,
    *,
    title: str,
    owner: str,
    due: date,
    priority: str,
    now: datetime,
    actor: str,
) -> ActionItem:
    """A new action item; the owner must be a configured person, the priority P1, P2 or P3."""
    text = (title or "").strip()
    if not text or len(text) > TITLE_MAX:
        raise InvalidIncidentInput(f"title must be 1 to {TITLE_MAX} characters", "title")
    if owner not in config.people:
        raise UnknownPerson(f"unknown person {owner!r} as owner{did_you_mean(owner, config.people)}", "owner")
    if not isinstance(due, date) or isinstance(due, datetime):
        raise InvalidIncidentInput("due must be a date (YYYY-MM-DD)", "due")
    check_priority(priority)
    item = ActionItem(
        incident_id=incident.id,
        title=text,
        owner=owner,
        due=due,
        priority=priority,
        created_at=now,
        created_by=actor,
    )
    session.add(item)
    incident.updated_at = now
    session.flush()
    return item


def get_action_item(session: Session, item_id: int) -> ActionItem:
    """The action item with that id; ActionItemNotFound otherwise."""
    item = session.get(ActionItem, item_id)
    if item is None:
        raise ActionItemNotFound(item_id)
    return item


def set_action_item_done(
    session: Session, item_id: int, *, done: bool, now: datetime, actor: str
) -> ActionItem:
    """Mark an action item done (or open again); marking it as it already is changes nothing."""
    item = get_action_item(session, item_id)
    if done and item.done_at is None:
        item.done_at, item.done_by = now, actor
    elif not done and item.done_at is not None:
        item.done_at, item.done_by = None, None
    return item


def action_items(
    session: Session, *, state: str = "open", today: date, incident_id: int | None = None
) -> list[ActionItem]:
    """Action items by state — open (not done), overdue (open and due before `today`), all — soonest due first.

    `today` is the date where the team is (the configuration's time zone), so an item due today
    is not overdue until the day is over there.
    """
    if state not in STATES:
        raise InvalidIncidentInput(f"state must be one of {', '.join(STATES)}, not {state!r}", "state")
    query = select(ActionItem)
    if state in ("open", "overdue"):
        query = query.where(ActionItem.done_at.is_(None))
    if state == "overdue":
        query = query.where(ActionItem.due < today)
    if incident_id is not None:
        query = query.where(ActionItem.incident_id == incident_id)
    return list(session.scalars(query.order_by(ActionItem.due, ActionItem.id)))


def today_for(config: Config, now: datetime) -> date:
    """The date it is now in the configuration's time zone (what `action_items` calls today)."""
    return now.astimezone(ZoneInfo(config.timezone)).date()
