"""Which shifts a configuration change would change, so a YAML edit can be reviewed like code."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from oncall.config.model import Config
from oncall.schedule.formatting import hours, kind_text, local_time, name_of
from oncall.schedule.shift import Shift
from oncall.schedule.shifts import shifts_between

CHANGE_KINDS = (
    "rotation added",  # the rotation exists only in the new configuration
    "rotation removed",  # the rotation exists only in the old configuration
    "reassigned",  # the same window, someone else on call
    "changed",  # the same window and person, another kind or reason (e.g. now an override)
    "moved",  # the same person's time in one stretch starts or ends elsewhere, or is split
    "added",  # a piece with nothing corresponding before
    "removed",  # a piece with nothing corresponding after
)


@dataclass(frozen=True)
class ShiftChange:
    """One change in one rotation: the pieces before and the pieces after (either may be empty)."""

    rotation: str
    change: str  # one of CHANGE_KINDS
    before: tuple[Shift, ...] = ()
    after: tuple[Shift, ...] = ()
    timezone: str = "UTC"  # the rotation's, for rendering

    @property
    def people(self) -> tuple[str | None, ...]:
        """Everyone the change touches, in order of appearance (None stands for a gap)."""
        seen: list[str | None] = []
        for shift in (*self.before, *self.after):
            if shift.person not in seen:
                seen.append(shift.person)
        return tuple(seen)

    @property
    def starts(self) -> datetime | None:
        """The earliest instant the change concerns (None for a bare rotation added/removed)."""
        return min((s.start for s in (*self.before, *self.after)), default=None)


def diff_schedules(old: Config, new: Config, start: datetime, end: datetime) -> list[ShiftChange]:
    """The shift changes from `old` to `new` over [start, end), for every rotation in either.

    Empty when the schedules are the same, whatever else changed in the configuration.
    """
    changes: list[ShiftChange] = []
    for key in sorted(set(old.rotations) | set(new.rotations)):
        rotation = new.rotations.get(key) or old.rotations[key]
        before = shifts_between(old, key, start, end) if key in old.rotations else []
        after = shifts_between(new, key, start, end) if key in new.rotations else []
        if key not in old.rotations:
            changes.append(ShiftChange(key, "rotation added", timezone=rotation.timezone))
        if key not in new.rotations:
            changes.append(ShiftChange(key, "rotation removed", timezone=rotation.timezone))
        changes.extend(_diff_pieces(key, before, after, rotation.timezone))
    return changes


def render_diff(changes: list[ShiftChange], names: Mapping[str, str] | None = None) -> str:
    """The changes as text grouped by rotation, then the change in hours on call per person.

    `names` maps person keys to display names; keys are shown where it has none.
    """
    if not changes:
        return "No shift changes.\n"
    names = names or {}
    lines: list[str] = []
    by_rotation: dict[str, list[ShiftChange]] = defaultdict(list)
    for change in changes:
        by_rotation[change.rotation].append(change)
    for rotation, rotation_changes in by_rotation.items():
        lines.append(f"{rotation} (times in {rotation_changes[0].timezone}):")
        lines.extend(f"  {_describe(change, names)}" for change in rotation_changes)
    lines.append("Hours on call, per person:")
    totals = _hours_per_person(changes)
    for person, delta in totals.items():
        sign = "+" if delta >= timedelta(0) else "-"
        lines.append(f"  {name_of(names, person)}: {sign}{hours(abs(delta))}h")
    if not totals:
        lines.append("  unchanged for everyone")
    return "\n".join(lines) + "\n"


def _diff_pieces(rotation: str, before: list[Shift], after: list[Shift], tz: str) -> list[ShiftChange]:
    """Pair old and new pieces from the most to the least alike; what is left was added/removed."""
    old, new = list(before), list(after)
    _pair(old, new, _identity, lambda a, b: True)  # unchanged: drop silently
    changes = [
        ShiftChange(rotation, "reassigned", (a,), (b,), tz)
        for a, b in _pair(old, new, _window, lambda a, b: a.person != b.person)
    ]
    changes += [
        ShiftChange(rotation, "changed", (a,), (b,), tz)
        for a, b in _pair(old, new, _window, lambda a, b: True)
    ]
    for old_group, new_group in _overlapping_by_person(old, new):
        if old_group and new_group:
            changes.append(ShiftChange(rotation, "moved", old_group, new_group, tz))
        else:
            changes += [ShiftChange(rotation, "removed", (s,), (), tz) for s in old_group]
            changes += [ShiftChange(rotation, "added", (), (s,), tz) for s in new_group]
    return sorted(changes, key=lambda c: (c.starts, CHANGE_KINDS.index(c.change)))


def _identity(shift: Shift) -> Hashable:
    return (
        shift.person,
        shift.start,
        shift.end,
        shift.kind,
        shift.replaces,
        shift.reason,
    )


def _window(shift: Shift) -> Hashable:
    return (shift.start, shift.end)


def _pair(
    old: list[Shift],
    new: list[Shift],
    key: Callable[[Shift], Hashable],
    accept: Callable[[Shift, Shift], bool],
) -> list[tuple[Shift, Shift]]:
    """Take out of `old` and `new` the pairs with equal `key` that `accept` allows."""
    waiting: dict[Hashable, list[Shift]] = defaultdict(list)
    for shift in new:
        waiting[key(shift)].append(shift)
    pairs: list[tuple[Shift, Shift]] = []
    for shift in list(old):
        match = next((n for n in waiting[key(shift)] if accept(shift, n)), None)
        if match is not None:
            waiting[key(shift)].remove(match)
            pairs.append((shift, match))
    for a, b in pairs:
        old.remove(a)
        new.remove(b)
    return pairs


def _overlapping_by_person(
    old: list[Shift], new: list[Shift]
) -> list[tuple[tuple[Shift, ...], tuple[Shift, ...]]]:
    """Group each person's remaining pieces into stretches that overlap in time."""
    tagged = sorted(
        [(s, "old") for s in old] + [(s, "new") for s in new],
        key=lambda item: (str(item[0].person), item[0].start),
    )
    groups: list[tuple[list[Shift], list[Shift]]] = []
    last_person: object = object()
    reach: datetime | None = None
    for shift, side in tagged:
        if shift.person != last_person or reach is None or shift.start >= reach:
            groups.append(([], []))
            last_person, reach = shift.person, shift.end
        reach = max(reach, shift.end)
        groups[-1][0 if side == "old" else 1].append(shift)
    return [(tuple(o), tuple(n)) for o, n in groups]


def _describe(change: ShiftChange, names: Mapping[str, str]) -> str:
    """One line (or a few) saying what happened to whom."""
    label = f"{change.change:<10}"
    if change.change in ("rotation added", "rotation removed"):
        return change.change
    if change.change in ("reassigned", "changed"):
        a, b = change.before[0], change.after[0]
        return f"{label}  {_span(a, change.timezone)}: {_who(a, names)} -> {_who(b, names)}"
    pieces = change.after if change.change == "added" else change.before
    person = name_of(names, pieces[0].person)
    if change.change == "moved":
        was = ", ".join(_span(s, change.timezone) for s in change.before)
        now = ", ".join(_span(s, change.timezone) for s in change.after)
        return f"{label}  {person}: {was}\n{'':14}now {now}"
    return f"{label}  {_span(pieces[0], change.timezone)}: {_who(pieces[0], names)}"


def _span(shift: Shift, tz: str) -> str:
    return f"{local_time(shift.start, tz)} -> {local_time(shift.end, tz)} ({hours(shift.duration)}h)"


def _who(shift: Shift, names: Mapping[str, str]) -> str:
    return f"{name_of(names, shift.person)} ({kind_text(shift, names)})"


def _hours_per_person(changes: list[ShiftChange]) -> dict[str | None, timedelta]:
    """Time gained (positive) or lost per person; None collects time nobody is on call."""
    totals: dict[str | None, timedelta] = defaultdict(timedelta)
    for change in changes:
        for shift in change.before:
            totals[shift.person] -= shift.duration
        for shift in change.after:
            totals[shift.person] += shift.duration
    return {p: d for p, d in sorted(totals.items(), key=lambda i: str(i[0])) if d}
