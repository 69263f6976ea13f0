"""The base rotation: whose regular turn it is, computed directly rather than by iterating.

Handoff k happens at the local wall-clock time `epoch + k * period` in the rotation's time zone,
where `epoch` is the first handoff (team[0]'s first turn). Adding the period to the *wall-clock*
reading, not to the instant, is what keeps handoffs at 10:00 local across daylight-saving
changes: a weekly turn that spans one lasts 167 or 169 hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from oncall.clock import utc
from oncall.config.model import Rotation
from oncall.schedule.shift import Shift
from oncall.wallclock import resolve_wall, to_local_wall, zone


def epoch_wall(rotation: Rotation) -> datetime:
    """The naive local time of the rotation's first handoff.

    It is the first handoff at or after `rotation.start` 00:00 local: on the start date itself,
    or on the next matching weekday when the handoff names one.
    """
    first_day = rotation.start
    if rotation.handoff_weekday is not None:
        first_day += timedelta(days=(rotation.handoff_weekday - first_day.weekday()) % 7)
    return datetime.combine(first_day, rotation.handoff_time)


def handoff_instant(rotation: Rotation, index: int) -> datetime:
    """The UTC instant at which turn `index` begins (index 0 is team[0]'s first turn)."""
    wall = epoch_wall(rotation) + index * rotation.period
    return resolve_wall(wall, zone(rotation.timezone))


def turn_index_at(rotation: Rotation, at: datetime) -> int:
    """The index of the turn that covers `at`; negative before the rotation's first turn.

    The index comes from the local wall-clock distance to the epoch, so a query ten years out
    costs the same as one tomorrow. The estimate can be one off around a daylight-saving change
    (a wall reading inside a repeated hour), which the short correction below settles.
    """
    _check_period(rotation)
    at = utc(at)
    wall = to_local_wall(at, zone(rotation.timezone))
    index = (wall - epoch_wall(rotation)) // rotation.period
    while handoff_instant(rotation, index) > at:
        index -= 1
    while handoff_instant(rotation, index + 1) <= at:
        index += 1
    return index


def person_for_turn(rotation: Rotation, index: int) -> str | None:
    """Whose turn `index` is: the team in order, round and round; nobody before the first.

    Turn 0 is team[0]'s unless the rotation pins a `phase`, which moves the whole order so that
    the turn in progress at `phase.at` is `phase.person`'s.
    """
    if index < 0 or not rotation.team:
        return None
    shift = 0 if rotation.phase is None else phase_shift(rotation)
    return rotation.team[(index + shift) % len(rotation.team)]


@lru_cache(maxsize=256)
def phase_shift(rotation: Rotation) -> int:
    """How many places a pinned phase moves the team order (0 without a pin).

    Cached: every turn of a pinned rotation asks, and the answer needs a few wall-clock
    conversions; rotations are frozen, so the answer never changes.
    """
    if rotation.phase is None or not rotation.team:
        return 0
    pinned_turn = turn_index_at(rotation, rotation.phase.at)
    return (rotation.team.index(rotation.phase.person) - pinned_turn) % len(rotation.team)


def regular_turns(rotation: Rotation, start: datetime, end: datetime) -> list[Shift]:
    """Every whole regular turn overlapping [start, end), in order, not clipped to it.

    Turns before the rotation's first handoff do not exist and are not returned; a turn that a
    daylight-saving change squeezes to zero length (possible only for very short periods) is
    skipped.
    """
    return [turn for _, turn in indexed_turns(rotation, start, end)]


def indexed_turns(rotation: Rotation, start: datetime, end: datetime) -> list[tuple[int, Shift]]:
    """Like `regular_turns`, with each turn's index (its position in the endless rotation)."""
    start, end = utc(start), utc(end)
    if end <= start or not rotation.team:
        return []
    _check_period(rotation)
    index = max(turn_index_at(rotation, start), 0)
    turns: list[tuple[int, Shift]] = []
    turn_start = handoff_instant(rotation, index)
    while turn_start < end:
        turn_end = handoff_instant(rotation, index + 1)
        if turn_end > start and turn_end > turn_start:
            turn = Shift(
                rotation=rotation.key,
                person=person_for_turn(rotation, index),
                start=turn_start,
                end=turn_end,
                kind="regular",
                replaces=None,
                slot_start=turn_start,
            )
            turns.append((index, turn))
        index += 1
        turn_start = turn_end
    return turns


def _check_period(rotation: Rotation) -> None:
    # A zero or negative period would never advance; the loader should have refused it already.
    if rotation.period <= timedelta(0):
        raise ValueError(f"rotation {rotation.key!r} has a non-positive period {rotation.period}")
