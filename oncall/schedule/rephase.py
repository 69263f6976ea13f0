"""Re-phasing: an edit of a rotation's team or start that moves whose turn is whose.

Turn k belongs to team[k mod len(team)], so adding one person to a team of three hands most
turns to someone else, the one in progress included. That is rarely what the editor meant, and
a diff of shifts over eight weeks hides it among the expected changes. Here it is named: who is
on call now and at each handoff of the next four weeks, before and after, and the `phase` pin
that would keep the current order.

A change is a re-phase when who is on call now changes, or when any turn changes hands before
the first turn an added person takes (or a removed person gave up): adding someone after the
current order is kept is not one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from oncall.clock import utc
from oncall.config.model import Config, Phase, Rotation
from oncall.schedule.formatting import name_of
from oncall.schedule.shift import Shift
from oncall.schedule.shifts import shifts_between
from oncall.schedule.turns import handoff_instant, person_for_turn, turn_index_at
from oncall.wallclock import zone

REPHASE_WINDOW = timedelta(weeks=4)
_MOST_ROWS = 30  # an hourly rotation has 672 handoffs in four weeks; the first ones make the point


@dataclass(frozen=True)
class Handover:
    """Who is on call from `start` on, before and after the change (None: nobody)."""

    start: datetime
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Rephasing:
    """A rotation whose change moves turns: the handovers from now on, the first one at now."""

    rotation: str
    timezone: str
    handovers: tuple[Handover, ...]
    pin: Phase | None = None  # the `phase` that keeps the current order, when one person can say it

    @property
    def now(self) -> Handover:
        return self.handovers[0]


def rephasings(
    old: Config, new: Config, now: datetime, window: timedelta = REPHASE_WINDOW
) -> list[Rephasing]:
    """The rotations, in both configurations, whose new team or start re-phases them at `now`."""
    now = utc(now)
    found = []
    for key in sorted(set(old.rotations) & set(new.rotations)):
        before, after = old.rotations[key], new.rotations[key]
        if _turn_order(before) == _turn_order(after):
            continue
        handovers = _handovers(old, new, key, now, now + window)
        if _moves_turns(handovers, before, after):
            pin = _keeping_pin(before, after, now)
            found.append(Rephasing(key, after.timezone, tuple(handovers), pin))
    return found


def render_rephasings(found: list[Rephasing], names: Mapping[str, str] | None = None) -> str:
    """A loud block per re-phased rotation: the headline, the before/after table, the pin."""
    names = names or {}
    return "".join(_render(item, names) for item in found)


def _turn_order(rotation: Rotation) -> tuple[object, ...]:
    """What decides whose turn is whose (handoff and period changes are edits of their own)."""
    return tuple((layer.team, layer.start, layer.phase) for layer in rotation.turn_layers)


def _handovers(old: Config, new: Config, key: str, start: datetime, end: datetime) -> list[Handover]:
    before = shifts_between(old, key, start, end)
    after = shifts_between(new, key, start, end)
    instants = sorted({start} | {piece.start for piece in (*before, *after)})
    rows: list[Handover] = []
    for instant in instants:
        row = Handover(instant, _person_at(before, instant), _person_at(after, instant))
        if not rows or (row.before, row.after) != (rows[-1].before, rows[-1].after):
            rows.append(row)
    return rows


def _person_at(pieces: list[Shift], at: datetime) -> str | None:
    return next((piece.person for piece in pieces if piece.covers(at)), None)


def _moves_turns(handovers: list[Handover], before: Rotation, after: Rotation) -> bool:
    """Whether turns change hands now, or before any added or removed person's turn comes."""
    if handovers[0].changed:
        return True
    added = set(after.team) - set(before.team)
    removed = set(before.team) - set(after.team)
    for row in handovers:
        if row.after in added or row.before in removed:
            return False
        if row.changed:
            return True
    return False


def _keeping_pin(before: Rotation, after: Rotation, now: datetime) -> Phase | None:
    """`phase` giving the turn in progress to whoever had it before (plain rotations only)."""
    if before.layers or after.layers:
        return None
    holder = person_for_turn(before, turn_index_at(before, now))
    index = turn_index_at(after, now)
    if holder is None or holder not in after.team or index < 0:
        return None
    return Phase(handoff_instant(after, index), holder)


def headline(item: Rephasing, names: Mapping[str, str]) -> str:
    """'on call now Kim → Park', or when now stays, from which handover who gives way to whom."""
    now = item.now
    if now.changed:
        return f"on call now {name_of(names, now.before)} → {name_of(names, now.after)}"
    first = next(row for row in item.handovers if row.changed)
    return (
        f"on call now {name_of(names, now.before)} (unchanged), from {_wall(first.start, item.timezone)} "
        f"{name_of(names, first.before)} → {name_of(names, first.after)}"
    )


def pin_text(item: Rephasing) -> str | None:
    """The YAML line that keeps the current order, e.g. 'phase: {at: "2026-12-07 10:00", person: kim}'."""
    if item.pin is None:
        return None
    at = item.pin.at.astimezone(zone(item.timezone)).strftime("%Y-%m-%d %H:%M")
    return f'phase: {{at: "{at}", person: {item.pin.person}}}'


def _render(item: Rephasing, names: Mapping[str, str]) -> str:
    lines = [
        f"!! Rotation {item.rotation} re-phases: {headline(item, names)}",
        "   Its new team or start changes whose turn every shift is, not only the new person's.",
        f"   Who is on call, the next {REPHASE_WINDOW.days // 7} weeks ({item.timezone}):",
        f"     {'from':<22} {'before':<12} after",
    ]
    for number, row in enumerate(item.handovers[:_MOST_ROWS]):
        when = _wall(row.start, item.timezone)
        when = f"now ({when[4:]})" if number == 0 else when
        mark = "  <- changes" if row.changed else ""
        lines.append(
            f"     {when:<22} {name_of(names, row.before):<12} {name_of(names, row.after):<12}{mark}".rstrip()
        )
    if len(item.handovers) > _MOST_ROWS:
        lines.append(f"     … and {len(item.handovers) - _MOST_ROWS} more handovers")
    pin = pin_text(item)
    if pin is None:
        lines += [
            "   To keep the current order, give the rotation (or each changed layer) a `phase`:",
            '     phase: {at: "YYYY-MM-DD HH:MM", person: KEY}   # KEY holds the turn in progress then',
        ]
    else:
        lines += [
            f"   To keep the current order, add to rotation `{item.rotation}`:",
            f"     {pin}",
            "   (the turn in progress stays; new people take their turns where `team` lists them)",
        ]
    return "\n".join(lines) + "\n\n"


def _wall(instant: datetime, timezone: str) -> str:
    return instant.astimezone(zone(timezone)).strftime("%a %Y-%m-%d %H:%M")
