"""A piece of the schedule: who is on call for one rotation, from when to when, and why."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

KINDS = ("regular", "override", "cover", "gap")


@dataclass(frozen=True)
class Shift:
    """One contiguous piece of a rotation's schedule, [start, end) in UTC.

    kind:       "regular" (the base rotation), "override" (someone stepped in for a window),
                "cover" (the next team member covers a person's time off) or "gap" (nobody).
    replaces:   for override, cover and time-off gaps, the person whose regular turn it was.
    reason:     the override's or the time off's reason, when given.
    slot_start: the start of the regular turn this piece belongs to; the same turn keeps it
                across edits, which makes it the stable part of a calendar UID.
    layer:      for a layered rotation, the number (1 = bottom) of the layer the piece comes
                from; None for a plain rotation and for a gap no layer fills.
    """

    rotation: str
    person: str | None
    start: datetime
    end: datetime
    kind: str
    replaces: str | None
    reason: str = ""
    slot_start: datetime = field(kw_only=True)
    layer: int | None = field(default=None, kw_only=True)

    @property
    def duration(self) -> timedelta:
        """How long the piece lasts (real elapsed time, so DST days show as 23 or 25 hours)."""
        return self.end - self.start

    def covers(self, at: datetime) -> bool:
        """Whether the instant `at` falls inside [start, end)."""
        return self.start <= at < self.end

    def clipped(self, start: datetime, end: datetime) -> Shift | None:
        """This piece cut to [start, end), or None when nothing of it is left."""
        new_start, new_end = max(self.start, start), min(self.end, end)
        if new_start >= new_end:
            return None
        return replace(self, start=new_start, end=new_end)
