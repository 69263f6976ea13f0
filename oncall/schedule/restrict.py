"""Restriction windows: when a rotation's turns count, as instants over an asked range.

A window is local wall-clock time in the rotation's zone and keeps its wall-clock ends across
daylight-saving changes, resolved the way handoffs are (`oncall.wallclock.resolve_wall`): an end
that the clocks skip happens at the first instant after the skipped span, an end that they
repeat at its first occurrence. So a window 01:30–03:00 on a spring-forward night in New York
lasts 30 minutes, and one 00:00–02:00 on a fall-back night lasts 3 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta

from oncall.clock import utc
from oncall.config.model import WeeklyWindow
from oncall.schedule.shift import Shift
from oncall.wallclock import resolve_wall, to_local_wall, zone

OUTSIDE_HOURS = "outside the restricted hours"
# A window opens at most 7 days after a Monday and lasts at most 7 days: one that covers an
# instant opened less than two weeks before it.
_REACH_BACK = timedelta(days=14)
_WEEK = timedelta(weeks=1)


def open_windows(
    windows: Sequence[WeeklyWindow], timezone: str, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The instants within reach of [start, end) when the weekly `windows` are open, joined.

    Only the weeks around the range are computed, so the cost grows with the range, not with
    the distance from the rotation's start. Windows are returned whole (not cut at the range).
    """
    start, end = utc(start), utc(end)
    tz = zone(timezone)
    first_day = (to_local_wall(start, tz) - _REACH_BACK).date()
    monday = datetime.combine(first_day - timedelta(days=first_day.weekday()), time())
    last_wall = to_local_wall(end, tz) + timedelta(days=1)
    spans: list[tuple[datetime, datetime]] = []
    while monday <= last_wall:
        for window in windows:
            opens = resolve_wall(monday + window.start, tz)
            closes = resolve_wall(monday + window.start + window.length, tz)
            if opens < closes and closes > start and opens < end:
                spans.append((opens, closes))
        monday += _WEEK
    return _joined(sorted(spans))


def _joined(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted spans with overlapping or touching ones joined."""
    joined: list[tuple[datetime, datetime]] = []
    for opens, closes in spans:
        if joined and opens <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], closes))
        else:
            joined.append((opens, closes))
    return joined


def masked(pieces: list[Shift], spans: list[tuple[datetime, datetime]]) -> list[Shift]:
    """The ordered `pieces` cut at the `spans`' edges; outside them, nobody is on call.

    A piece outside every span becomes a gap "outside the restricted hours" of the same turn;
    a gap before the rotation's first turn stays what it is. One pass over both lists.
    """
    result: list[Shift] = []
    index = 0
    for piece in pieces:
        cursor = piece.start
        while cursor < piece.end:
            while index < len(spans) and spans[index][1] <= cursor:
                index += 1
            span = spans[index] if index < len(spans) else None
            if span is not None and span[0] <= cursor:
                stop = min(span[1], piece.end)
                result.append(replace(piece, start=cursor, end=stop))
            else:
                stop = min(span[0], piece.end) if span is not None else piece.end
                result.append(_outside(piece, cursor, stop))
            cursor = stop
    return result


def _outside(piece: Shift, start: datetime, end: datetime) -> Shift:
    if piece.kind == "gap" and piece.replaces is None:
        return replace(piece, start=start, end=end)  # before the first turn: no turn to mask
    return replace(piece, person=None, start=start, end=end, kind="gap", replaces=None, reason=OUTSIDE_HOURS)
