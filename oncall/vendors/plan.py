"""The neutral plan every vendor reader produces and the YAML writer consumes (plain data)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# Plain words YAML 1.1 reads as booleans or null: never a bare key.
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Window:
    """A restriction window in the rotation's zone: on each of `days` (0=Mon) from `start` for
    `length` of wall-clock time (a daily form); with one day and a long length it is a weekly one."""

    days: tuple[int, ...]
    start: time
    length: timedelta


@dataclass(frozen=True)
class Layer:
    kind: str  # "weekly" | "daily" | "every"
    period: timedelta
    handoff_weekday: int | None
    handoff_time: time
    start: date
    team: tuple[str, ...]
    restrict: tuple[Window, ...] = ()
    source: str = ""  # the vendor's name for this layer, written as a comment


@dataclass(frozen=True)
class Rotation:
    key: str
    timezone: str
    layers: tuple[Layer, ...]  # bottom first: a later layer wins where it has someone
    source: str = ""


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    phone: str | None = None
    email: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Level:
    targets: tuple[tuple[str, str], ...]  # ("rotation" | "person", key)
    after: timedelta = timedelta(0)
    when: str = "unacknowledged"
    source: str = ""


@dataclass(frozen=True)
class Policy:
    key: str
    levels: tuple[Level, ...]
    repeat: int = 0
    source: str = ""


@dataclass
class Plan:
    """Everything one migration writes, plus what could not be carried over exactly."""

    vendor: str
    timezone: str = "UTC"
    people: dict[str, Person] = field(default_factory=dict)
    rotations: dict[str, Rotation] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    check_lines: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Record an approximation once (the header and the summary list them)."""
        if text not in self.notes:
            self.notes.append(text)


class Keys:
    """Turns vendor names into unique one-word keys (`Kim Lee` → `kim_lee`, then `kim_lee_2`)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, name: str, fallback: str) -> str:
        """A fresh key from `name`, or from `fallback` when the name has no usable letters."""
        base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or fallback
        if not base[0].isalpha():
            base = f"{fallback}_{base}"
        if base in YAML_WORDS:
            base = f"{base}_{fallback}"
        key, number = base, 2
        while key in self.used:
            key, number = f"{base}_{number}", number + 1
        self.used.add(key)
        return key

    @staticmethod
    def unique(taken: dict[str, object], name: str, fallback: str) -> str:
        """A key from `name` not yet in `taken`."""
        keys = Keys()
        keys.used = set(taken)
        return keys.make(name, fallback)


WEEK = timedelta(days=7)


def layer_from_epoch(
    epoch: datetime, period: timedelta, team: tuple[str, ...], restrict: tuple[Window, ...], source: str
) -> Layer:
    """A layer whose first turn (team[0]) starts at the local wall time `epoch`."""
    if period == WEEK:
        return Layer("weekly", period, epoch.weekday(), epoch.time(), epoch.date(), team, restrict, source)
    kind = "daily" if period == timedelta(days=1) else "every"
    return Layer(kind, period, None, epoch.time(), epoch.date(), team, restrict, source)


def covers_whole_week(windows: tuple[Window, ...]) -> bool:
    """True when the windows together cover every minute of the week (no restriction at all)."""
    minutes: set[int] = set()
    for window in windows:
        length = min(int(window.length.total_seconds() // 60), 7 * 1440)
        for day in window.days:
            first = day * 1440 + window.start.hour * 60 + window.start.minute
            minutes.update((first + offset) % (7 * 1440) for offset in range(length))
    return len(minutes) == 7 * 1440


def merged_windows(windows: tuple[Window, ...]) -> tuple[Window, ...]:
    """Windows with the same start and length joined into one over all their days."""
    joined: dict[tuple[time, timedelta], set[int]] = {}
    for window in windows:
        joined.setdefault((window.start, window.length), set()).update(window.days)
    return tuple(Window(tuple(sorted(days)), at, length) for (at, length), days in joined.items())


def window_triples(windows: tuple[Window, ...]) -> list[tuple[int, time, timedelta]]:
    """(weekday, start, length) for each day of each window: what the evaluators iterate."""
    return [(day, window.start, window.length) for window in windows for day in window.days]
