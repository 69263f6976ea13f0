"""Local wall-clock times to UTC instants, the way handoffs need them.

A handoff is written as a local time ("mon 10:00" in America/New_York). Most local times name
exactly one instant, but daylight-saving changes create two awkward cases:

- a local time that does not exist (spring forward, 02:30 in Europe/Berlin on 2026-03-29):
  the handoff happens at the first instant after the skipped hour (03:00 CEST);
- a local time that exists twice (fall back, 01:30 in America/New_York on 2026-11-01):
  the handoff happens at the first occurrence (fold=0, 01:30 EDT).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name (cached: rotations ask for it constantly)."""
    return ZoneInfo(name)


def team_time(at: datetime, timezone: str) -> str:
    """An instant as people in `timezone` read it: 2026-03-20 12:15 KST."""
    return at.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M %Z")


def to_local_wall(instant: datetime, tz: ZoneInfo) -> datetime:
    """The naive local wall-clock reading of an aware `instant` in `tz`."""
    return instant.astimezone(tz).replace(tzinfo=None, fold=0)


def resolve_wall(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the naive local time `wall` happens in `tz`.

    Skipped local times resolve to the end of the skipped span; repeated ones to their first
    occurrence. The mapping is monotonic: a later wall time never resolves to an earlier instant.
    """
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if to_local_wall(first, tz) == wall:
        return first
    # `wall` falls in a gap. fold=0 reads it with the offset from before the change (an instant
    # after the gap), fold=1 with the offset after it (an instant before the gap); the change
    # itself lies between them, at the first instant whose local reading is at or after `wall`.
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    # Offsets and transitions are whole seconds, so search whole seconds: `low` reads before
    # `wall`, `high` at or after it.
    low = math.floor(min(first, second).timestamp())
    high = math.ceil(max(first, second).timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if to_local_wall(_from_timestamp(middle), tz) >= wall:
            high = middle
        else:
            low = middle
    return _from_timestamp(high)


def _from_timestamp(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
