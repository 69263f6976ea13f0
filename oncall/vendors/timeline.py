"""Span arithmetic for evaluating a vendor's own schedule definition, independent of ours.

A vendor evaluator turns each layer into spans (start, end, people) in UTC, cuts them to the
layer's restriction windows and active period, and stacks the layers by the vendor's rule.
Wall-clock times become instants with zoneinfo directly (not `oncall.wallclock`), so the check
does not share the code it checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    people: frozenset[str]


def instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a naive local time (a skipped time moves forward, a repeated one is
    its first occurrence)."""
    probe = wall
    while True:
        aware = probe.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if aware.astimezone(tz).replace(tzinfo=None) == probe:
            return aware
        # In a spring-forward gap: the first local minute that exists is when the clocks jump.
        probe = probe.replace(second=0, microsecond=0) + timedelta(minutes=1)


def wall(at: datetime, tz: ZoneInfo) -> datetime:
    """The naive local reading of an aware instant."""
    return at.astimezone(tz).replace(tzinfo=None)


def wall_turns(
    tz: ZoneInfo,
    epoch: datetime,
    period: timedelta,
    team: list[str | None],
    *,
    start: datetime,
    end: datetime,
) -> list[Span]:
    """Turns of `team` handing off at local `epoch + k*period`, overlapping [start, end)."""
    if not team:
        return []
    k = max(0, int((wall(start, tz) - epoch) / period) - 2)
    spans = []
    while True:
        turn_start, turn_end = instant(epoch + k * period, tz), instant(epoch + (k + 1) * period, tz)
        if turn_start >= end:
            return spans
        person = team[k % len(team)]
        if turn_end > start and turn_end > turn_start and person is not None:
            spans.append(Span(turn_start, turn_end, frozenset({person})))
        k += 1


def weekly_windows(
    tz: ZoneInfo, windows: Iterable[tuple[int, time, timedelta]], start: datetime, end: datetime
) -> list[Interval]:
    """Instants covered by windows (weekday 0=Mon, local start time, wall-clock length) in range."""
    found: list[Interval] = []
    first_day = wall(start, tz).date() - timedelta(days=8)
    days = (wall(end, tz).date() - first_day).days + 1
    for weekday, at, length in windows:
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            if day.weekday() != weekday:
                continue
            begin = datetime.combine(day, at)
            a, b = instant(begin, tz), instant(begin + length, tz)
            if b > start and a < end:
                found.append((a, b))
    return union(found)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, in order."""
    joined: list[Interval] = []
    for a, b in sorted(intervals):
        if joined and a <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], b))
        else:
            joined.append((a, b))
    return joined


def restricted(spans: list[Span], intervals: list[Interval]) -> list[Span]:
    """The parts of `spans` inside `intervals`."""
    return [
        Span(max(s.start, a), min(s.end, b), s.people)
        for s in spans
        for a, b in intervals
        if a < s.end and b > s.start
    ]


def clipped(spans: list[Span], start: datetime | None, end: datetime | None) -> list[Span]:
    """The parts of `spans` inside [start, end) (None: unbounded)."""
    low = start or datetime.min.replace(tzinfo=UTC)
    high = end or datetime.max.replace(tzinfo=UTC)
    return restricted(spans, [(low, high)])


def stacked(layers: list[list[Span]], start: datetime, end: datetime, cumulative: bool) -> list[Span]:
    """The final schedule over [start, end): bottom-first layers where a later one wins wherever
    it has someone, or (cumulative) everyone of every layer at once. Same people joined."""
    cuts = sorted(
        {start, end, *(t for spans in layers for s in spans for t in (s.start, s.end) if start < t < end)}
    )
    final: list[Span] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        people: frozenset[str] = frozenset()
        for spans in layers:
            here = frozenset().union(*(s.people for s in spans if s.start <= a < s.end))
            if here:
                people = people | here if cumulative else here
        if final and final[-1].people == people and final[-1].end == a:
            final[-1] = Span(final[-1].start, b, people)
        else:
            final.append(Span(a, b, people))
    return final
