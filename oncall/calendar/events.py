"""Which events a calendar feed holds, as plain data.

Pure core: no Flask, SQLAlchemy or iCal here. The input is the schedule's `Shift` pieces;
the output is `FeedEvent`s with stable UIDs, ready to be stamped (`publication`) and rendered
(`render`).

A UID is derived from what identifies a piece of the schedule — the feed kind, the rotation,
the regular turn it belongs to (`slot_start`), the piece's kind and its offset inside that
turn — and never from the person or the configuration digest. So an unrelated edit keeps
every UID, and an override only mints UIDs for the pieces it creates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import pairwise

from oncall.config.model import CalendarSettings, Config, EscalationPolicy, Level, Override
from oncall.durations import format_in_one_unit
from oncall.schedule.shift import Shift

UID_DOMAIN = "oncall"
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class FeedSubject:
    """Whose feed: `kind` is "person" or "rotation", `key` its key in the configuration."""

    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class Window:
    """The instants a feed covers, [start, end) in UTC."""

    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) shares any instant with the window."""
        return start < self.end and end > self.start


@dataclass(frozen=True)
class FeedEvent:
    """One event of a feed, before it is stamped with SEQUENCE and LAST-MODIFIED."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    reminders: tuple[timedelta, ...] = ()

    @property
    def content_hash(self) -> str:
        """A digest of everything a client shows; a change bumps the event's SEQUENCE."""
        parts = (
            self.start.isoformat(),
            self.end.isoformat(),
            self.summary,
            self.description,
            ",".join(str(r.total_seconds()) for r in self.reminders),
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def feed_window(now: datetime, settings: CalendarSettings) -> Window:
    """The horizon around `now`, widened to whole UTC days.

    Whole days keep the feed's body (and so its ETag) the same for every fetch of one day
    instead of changing whenever a shift slides past the edge by a second.
    """
    start = _floor_day(now - settings.horizon_back)
    end = _floor_day(now + settings.horizon_ahead) + timedelta(days=1)
    return Window(start, end)


def query_window(config: Config, window: Window) -> Window:
    """The range to ask the schedule for, so no piece that overlaps `window` comes back clipped.

    The schedule cuts pieces at the query's bounds; a clipped piece would change its start
    (and with it its UID) as the window slides. A margin longer than any turn puts every cut
    outside `window`.
    """
    longest = max((r.period for r in config.rotations.values()), default=timedelta(days=7))
    margin = longest + timedelta(days=2)
    return Window(window.start - margin, window.end + margin)


def event_uid(feed_kind: str, shift: Shift) -> str:
    """The stable UID of a shift piece in a feed of `feed_kind`."""
    offset = int((shift.start - shift.slot_start).total_seconds())
    return _uid(
        feed_kind,
        "shift",
        shift.rotation,
        shift.slot_start.isoformat(),
        shift.kind,
        offset,
    )


def rotation_events(
    config: Config, rotation_key: str, shifts: Sequence[Shift], window: Window
) -> list[FeedEvent]:
    """Everyone's shifts of one rotation inside `window`, gaps included (they need fixing)."""
    ordered = sorted(shifts, key=lambda s: s.start)
    clip, lines = query_window(config, window).start, _policy_lines_memo(config)
    events = []
    for index, shift in enumerate(ordered):
        if _shown(window, clip, shift.start, shift.end):
            events.append(_shift_event(config, "rotation", ordered, index, policy_lines=lines))
    return events


def person_events(
    config: Config,
    person_key: str,
    shifts_by_rotation: Mapping[str, Sequence[Shift]],
    window: Window,
) -> list[FeedEvent]:
    """One person's shifts in every rotation, plus the escalation levels where they are backup."""
    clip, lines = query_window(config, window).start, _policy_lines_memo(config)
    events = []
    for rotation_key in sorted(shifts_by_rotation):
        ordered = sorted(shifts_by_rotation[rotation_key], key=lambda s: s.start)
        for index, shift in enumerate(ordered):
            if shift.person == person_key and _shown(window, clip, shift.start, shift.end):
                events.append(_shift_event(config, "person", ordered, index, policy_lines=lines))
    events.extend(backup_events(config, person_key, shifts_by_rotation, window))
    return events


def person_rotations(config: Config, person_key: str, extra_overrides: Sequence[Override] = ()) -> list[str]:
    """The rotations whose shifts a person's feed needs, sorted: no other one can change it.

    Those the person takes turns in or has an override in (their own shifts; time off is covered
    by the same team), and those of every policy where they may stand behind the on-call (the
    backup events). With a hundred rotations a person's feed computes their few, not all.
    """
    keys = {key for key, rotation in config.rotations.items() if person_key in rotation.team}
    keys.update(o.rotation for o in (*config.overrides, *extra_overrides) if o.person == person_key)
    for policy in config.escalations.values():
        rotations = _policy_rotations(policy)
        if rotations and _may_include(policy, person_key, rotations):
            keys.update(rotations)
    return sorted(key for key in keys if key in config.rotations)


def backup_events(
    config: Config,
    person_key: str,
    shifts_by_rotation: Mapping[str, Sequence[Shift]],
    window: Window,
) -> list[FeedEvent]:
    """Events for the stretches where `person_key` stands behind the on-call in a policy.

    A policy's stretches are cut at every handoff of the rotations it names, so each event lines
    up with a shift and keeps its UID while that shift does. Being level 1 through a rotation is
    the shift itself and is not repeated. A policy that names no rotation has no handoffs to
    cut at (the person would be backup forever) and yields no events.
    """
    clip = query_window(config, window).start
    events = []
    for policy in sorted(config.escalations.values(), key=lambda p: p.key):
        rotations = _policy_rotations(policy)
        if not rotations or not _may_include(policy, person_key, rotations):
            continue
        pieces = [s for key in rotations for s in shifts_by_rotation.get(key, ())]
        instants = sorted({s.start for s in pieces} | {s.end for s in pieces})
        for start, end in pairwise(instants):
            if not _shown(window, clip, start, end):
                continue
            ladder = _ladder_at(policy, pieces, start)
            level = _backup_level(ladder, person_key)
            if level is not None:
                events.append(
                    _backup_event(
                        config, policy, ladder, level=level, person_key=person_key, start=start, end=end
                    )
                )
    return events


def calendar_name(config: Config, subject: FeedSubject) -> str:
    """The feed's X-WR-CALNAME."""
    if subject.kind == "person":
        return f"On call: {_name(config, subject.key)}"
    return f"On call: {subject.key}"


def _shown(window: Window, clip: datetime, start: datetime, end: datetime) -> bool:
    """Whether a piece belongs in the feed: it overlaps the window and is whole.

    Only a piece that starts at the query's own start (`clip`, `query_window(...).start`) can
    have been clipped — the gap before a rotation's first turn. Its start would move with the
    window every day, so it is left out.
    """
    return window.overlaps(start, end) and start > clip


# --- shift events ---------------------------------------------------------------------------


def _shift_event(
    config: Config,
    feed_kind: str,
    ordered: Sequence[Shift],
    index: int,
    *,
    policy_lines: Callable[[str], list[str]],
) -> FeedEvent:
    shift = ordered[index]
    before = ordered[index - 1] if index > 0 else None
    after = ordered[index + 1] if index + 1 < len(ordered) else None
    lines = [_why_line(config, shift), _rotation_line(config, shift.rotation, shift.layer)]
    if before is not None and before.end == shift.start:
        lines.append(f"Takes over from: {_holder(config, before)}")
    if after is not None and after.start == shift.end:
        lines.append(f"Hands over to: {_holder(config, after)}")
    lines.extend(policy_lines(shift.rotation))
    return FeedEvent(
        uid=event_uid(feed_kind, shift),
        start=shift.start,
        end=shift.end,
        summary=_shift_summary(config, shift),
        description="\n".join(line for line in lines if line),
        reminders=config.calendar.reminders if shift.person else (),
    )


def _shift_summary(config: Config, shift: Shift) -> str:
    if shift.person is None:
        return f"No one on call: {shift.rotation}"
    who = _name(config, shift.person)
    if shift.kind == "override" and shift.replaces:
        who += f", override for {_name(config, shift.replaces)}"
    elif shift.kind == "cover" and shift.replaces:
        who += f", covering {_name(config, shift.replaces)}"
    return f"On call: {shift.rotation} ({who})"


def _why_line(config: Config, shift: Shift) -> str:
    reason = f" ({shift.reason})" if shift.reason else ""
    replaced = _name(config, shift.replaces) if shift.replaces else "the rotation"
    if shift.kind == "override":
        return f"Override: {_name(config, shift.person)} replaces {replaced}{reason}."
    if shift.kind == "cover":
        return f"Covering time off of {replaced}{reason}."
    if shift.kind == "gap":
        return f"Gap: no one is on call{reason}. Add an override or change the rotation."
    return ""


def _rotation_line(config: Config, rotation_key: str, layer: int | None = None) -> str:
    rotation = config.rotations.get(rotation_key)
    if rotation is None:
        return f"Rotation {rotation_key}."
    if rotation.layers:
        which = f"layer {layer} of {len(rotation.layers)}" if layer else f"{len(rotation.layers)} layers"
        return f"Rotation {rotation.key} ({which}, {rotation.timezone})."
    day = f"{WEEKDAY_NAMES[rotation.handoff_weekday]} " if rotation.handoff_weekday is not None else ""
    when = f"{day}{_clock(rotation.handoff_time)} {rotation.timezone}"
    return f"Rotation {rotation.key} ({rotation.kind}, hands over {when})."


def _holder(config: Config, shift: Shift) -> str:
    return _name(config, shift.person) if shift.person else "no one (gap)"


def _policy_lines_memo(config: Config) -> Callable[[str], list[str]]:
    """`_policy_lines` of each rotation, worked out once per feed: it reads every policy."""
    memo: dict[str, list[str]] = {}

    def lines(rotation_key: str) -> list[str]:
        if rotation_key not in memo:
            memo[rotation_key] = _policy_lines(config, rotation_key)
        return memo[rotation_key]

    return lines


def _policy_lines(config: Config, rotation_key: str) -> list[str]:
    """How alerts reach this rotation: every policy that names it, level by level."""
    lines = []
    for policy in sorted(config.escalations.values(), key=lambda p: p.key):
        if rotation_key not in _policy_rotations(policy):
            continue
        lines.append(f"Escalation policy {policy.key}:")
        for number, level in enumerate(policy.levels, start=1):
            lines.append(f"  level {number}: {_level_text(config, level)}")
        if policy.repeat:
            lines.append(f"  then the levels repeat {policy.repeat} more time(s)")
    return lines


def _level_text(config: Config, level: Level) -> str:
    names = []
    for target in level.targets:
        if target.kind == "rotation":
            names.append(f"on call for {target.key}")
        else:
            names.append(_name(config, target.key))
    timing = "at once" if not level.after else f"after {_duration(level.after)} if {level.when}"
    renotify = f", again every {_duration(level.renotify)}" if level.renotify else ""
    return f"{' and '.join(names)} — {timing}{renotify}"


# --- backup events --------------------------------------------------------------------------


def _policy_rotations(policy: EscalationPolicy) -> list[str]:
    keys = [t.key for level in policy.levels for t in level.targets if t.kind == "rotation"]
    return list(dict.fromkeys(keys))


def _may_include(policy: EscalationPolicy, person_key: str, rotations: Sequence[str]) -> bool:
    """Cheap filter: the person is named by the policy, or it has rotations beyond level 1."""
    for number, level in enumerate(policy.levels, start=1):
        for target in level.targets:
            if target.kind == "person" and target.key == person_key:
                return True
            if target.kind == "rotation" and number > 1:
                return True
    return False


def _ladder_at(policy: EscalationPolicy, pieces: Sequence[Shift], at: datetime) -> list[list[str]]:
    """Who each level of `policy` notifies at `at` (people keys, in level order)."""
    holder = {s.rotation: s.person for s in pieces if s.start <= at < s.end}
    ladder = []
    for level in policy.levels:
        people = []
        for target in level.targets:
            person = holder.get(target.key) if target.kind == "rotation" else target.key
            if person and person not in people:
                people.append(person)
        ladder.append(people)
    return ladder


def _backup_level(ladder: Sequence[Sequence[str]], person_key: str) -> int | None:
    """The first level (1-based, above 1) that reaches the person, unless level 1 already does."""
    for number, people in enumerate(ladder, start=1):
        if person_key in people:
            return None if number == 1 else number
    return None


def _backup_event(
    config: Config,
    policy: EscalationPolicy,
    ladder: Sequence[Sequence[str]],
    *,
    level: int,
    person_key: str,
    start: datetime,
    end: datetime,
) -> FeedEvent:
    spec = policy.levels[level - 1]
    timing = f"after {_duration(spec.after)} if {spec.when}" if spec.after else "at once"
    ahead = [
        f"  level {n}: {', '.join(_name(config, p) for p in people) or 'no one'}"
        for n, people in enumerate(ladder[: level - 1], start=1)
    ]
    description = "\n".join(
        [
            f"Backup: level {level} of escalation policy {policy.key}, paged {timing}.",
            "Ahead of you:",
            *ahead,
        ]
    )
    return FeedEvent(
        uid=_uid("person", "backup", policy.key, level, start.isoformat()),
        start=start,
        end=end,
        summary=f"Backup L{level}: {policy.key} ({_name(config, person_key)})",
        description=description,
        reminders=(),
    )


# --- small helpers --------------------------------------------------------------------------


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def _name(config: Config, person_key: str | None) -> str:
    person = config.people.get(person_key or "")
    return person.name if person else (person_key or "no one")


def _floor_day(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def _duration(value: timedelta) -> str:
    return format_in_one_unit(value.total_seconds(), units="wdhm")
