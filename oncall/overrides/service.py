"""Create, delete and list API overrides, checked against the configuration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.config.model import Config, Override
from oncall.overrides.models import OverrideRow
from oncall.timebounds import RANGE_TEXT, clamped, instant_in_range


class OverrideError(ValueError):
    """An override that cannot be made or removed; `field` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class OverrideNotFound(OverrideError, LookupError):
    """No override in force has that id (never made, or deleted already)."""

    def __init__(self, override_id: int) -> None:
        super().__init__("id", f"no override {override_id}")


def active_overrides(session: Session) -> tuple[Override, ...]:
    """Every API override not deleted, as config Overrides (id "api:<n>").

    Times are kept within the service's range (a row wholly outside it is left out): a row
    stored before the range was enforced, say ending in 9999, would otherwise break every page
    that shows it.
    """
    rows = session.scalars(select(OverrideRow).where(OverrideRow.deleted_at.is_(None)))
    return tuple(
        Override(r.rotation, r.person, clamped(r.start), clamped(r.end), r.reason, id=f"api:{r.id}")
        for r in rows
        if clamped(r.start) < clamped(r.end)
    )


def create_override(
    session: Session,
    config: Config,
    *,
    rotation: str,
    person: str,
    start: datetime,
    end: datetime,
    reason: str,
    by: str,
    now: datetime,
) -> OverrideRow:
    if rotation not in config.rotations:
        raise OverrideError("rotation", f"unknown rotation {rotation!r}")
    if person not in config.people:
        raise OverrideError("person", f"unknown person {person!r}")
    for name, value in (("start", start), ("end", end)):
        if value.tzinfo is None or not instant_in_range(value):
            raise OverrideError(name, f"must be a time with a time zone {RANGE_TEXT}")
    if end <= start:
        raise OverrideError("end", "must be after start")
    for other in active_overrides(session) + config.overrides:
        if other.rotation == rotation and other.start < end and start < other.end:
            raise OverrideError(
                "start",
                f"overlaps override {other.id} ({other.person}, {other.start.isoformat()} to "
                f"{other.end.isoformat()})",
            )
    row = OverrideRow(
        rotation=rotation, person=person, start=start, end=end, reason=reason, created_by=by, created_at=now
    )
    session.add(row)
    session.flush()
    return row


def delete_override(session: Session, override_id: int, now: datetime) -> None:
    """Mark an API override deleted; `OverrideNotFound` when none in force has that id."""
    row = session.get(OverrideRow, override_id)
    if row is None or row.deleted_at is not None:
        raise OverrideNotFound(override_id)
    row.deleted_at = now
