"""Small factories for schedule tests: Config objects built directly, no YAML involved."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oncall.config.layer_sections import layered_rotation
from oncall.config.model import (
    BusinessHours,
    Config,
    EscalationPolicy,
    Level,
    Override,
    Person,
    Rotation,
    Target,
    Unavailable,
    WeeklyWindow,
)

NEW_YORK = "America/New_York"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIODS = {"weekly": timedelta(weeks=1), "daily": timedelta(days=1)}


def z(text: str) -> datetime:
    """A UTC instant from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, tz: str = NEW_YORK) -> datetime:
    """An aware local time from 'YYYY-MM-DD HH:MM' (fold=0 where it is ambiguous)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def away(start: str, end: str, reason: str = "") -> Unavailable:
    """Time off between two UTC instants."""
    return Unavailable(z(start), z(end), reason)


def person(key: str, *time_off: Unavailable) -> Person:
    return Person(
        key=key,
        name=key.capitalize(),
        phone="+15555550100",
        timezone=NEW_YORK,
        unavailable=tuple(time_off),
    )


def rotation(
    key: str = "payments",
    kind: str = "weekly",
    handoff: str = "mon 10:00",
    start: date = date(2026, 3, 2),
    team: tuple[str, ...] = ("kim", "lee", "park"),
    tz: str = NEW_YORK,
    every: timedelta | None = None,
    restrict: tuple[WeeklyWindow, ...] = (),
) -> Rotation:
    """A rotation; `handoff` is 'mon 10:00' or '10:00'; kind 'every' needs `every`."""
    day, _, clock = handoff.rpartition(" ")
    return Rotation(
        key=key,
        kind=kind,
        period=every if kind == "every" else PERIODS[kind],
        handoff_weekday=WEEKDAYS.index(day) if day else None,
        handoff_time=time.fromisoformat(clock),
        start=start,
        team=team,
        timezone=tz,
        restrict=restrict,
    )


def layered(key: str, *layers: Rotation, tz: str = NEW_YORK) -> Rotation:
    """A layered rotation of `layers` (bottom first), each given the rotation's key and zone."""
    return layered_rotation(key, tz, [replace(layer, key=key, timezone=tz) for layer in layers])


def window(opens: str, closes: str) -> WeeklyWindow:
    """A weekly window from 'sat 10:00' to 'mon 08:00' (wall clock, the rotation's zone)."""
    start, end = (_week_offset(text) for text in (opens, closes))
    return WeeklyWindow(start, (end - start) % timedelta(weeks=1) or timedelta(weeks=1))


def daily_windows(days: str, opens: str, closes: str) -> tuple[WeeklyWindow, ...]:
    """The same hours on each of `days` ('mon-fri'), as `{days: …, from: …, to: …}` reads."""
    first, _, last = days.partition("-")
    numbers = range(WEEKDAYS.index(first), WEEKDAYS.index(last or first) + 1)
    return tuple(
        window(f"{WEEKDAYS[d]} {opens}", f"{WEEKDAYS[(d + (closes <= opens)) % 7]} {closes}") for d in numbers
    )


def _week_offset(text: str) -> timedelta:
    day, clock = text.split()
    at = time.fromisoformat(clock)
    return timedelta(days=WEEKDAYS.index(day), hours=at.hour, minutes=at.minute)


def override(who: str, start: str, end: str, rotation_key: str = "payments", reason: str = "") -> Override:
    """An override between two UTC instants."""
    return Override(rotation=rotation_key, person=who, start=z(start), end=z(end), reason=reason)


def config(
    *rotations: Rotation,
    people: tuple[Person, ...] = (),
    overrides: tuple[Override, ...] = (),
    escalations: tuple[EscalationPolicy, ...] = (),
) -> Config:
    """A Config with the given rotations; everyone in a team who is not given is made up."""
    given = {p.key: p for p in people}
    for r in rotations:
        for key in r.team:
            given.setdefault(key, person(key))
    return Config(
        timezone=NEW_YORK,
        business_hours=BusinessHours(
            days=frozenset(range(5)), start=time(9), end=time(18), timezone=NEW_YORK
        ),
        people=given,
        rotations={r.key: r for r in rotations},
        overrides=overrides,
        escalations={e.key: e for e in escalations},
        routes=(),
    )


def policy(key: str, *levels: tuple[str, ...]) -> EscalationPolicy:
    """A policy whose levels name targets as 'rotation:KEY' or 'person:KEY'."""
    return EscalationPolicy(
        key=key,
        levels=tuple(Level(targets=tuple(Target(*t.split(":", 1)) for t in level)) for level in levels),
    )


def pieces(shifts) -> list[tuple]:
    """Shifts as (person, start, end, kind, replaces) tuples, easy to compare with a table."""
    return [(s.person, s.start, s.end, s.kind, s.replaces) for s in shifts]
