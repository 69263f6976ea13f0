"""Time off inside the schedule: who covers the part of a turn its owner is away.

The next team member in rotation order who is available covers exactly the absent part (and
the one after them where they are away too). When nobody in the team is available, that part
is a gap: nobody is on call, and the loader reports it as a warning with the exact window.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

from oncall.clock import utc
from oncall.config.model import Person, Rotation, Unavailable
from oncall.schedule.shift import Shift


def cover_time_off(people: Mapping[str, Person], rotation: Rotation, turn: Shift) -> list[Shift]:
    """Split a regular turn into regular, cover and gap pieces.

    `turn` is the whole regular turn (as from `indexed_turns`); the pieces returned cover it
    exactly, in order.
    """
    owner = turn.person
    owner_away = _away_within(people, owner, turn.start, turn.end)
    if owner is None or not owner_away:
        return [turn]
    candidates = _next_in_rotation(rotation, owner)
    candidate_away = {c: _away_within(people, c, turn.start, turn.end) for c in candidates}

    # Between two consecutive boundaries nobody's availability changes, so one decision holds
    # for the whole segment.
    boundaries = {turn.start, turn.end}
    for windows in (owner_away, *candidate_away.values()):
        for window in windows:
            boundaries.update((window.start, window.end))
    points = sorted(boundaries)

    pieces: list[Shift] = []
    for segment_start, segment_end in pairwise(points):
        absence = _away_at(owner_away, segment_start)
        if absence is None:
            pieces.append(replace(turn, start=segment_start, end=segment_end))
            continue
        coverer = next(
            (c for c in candidates if _away_at(candidate_away[c], segment_start) is None),
            None,
        )
        pieces.append(
            replace(
                turn,
                person=coverer,
                start=segment_start,
                end=segment_end,
                kind="cover" if coverer else "gap",
                replaces=owner,
                reason=absence.reason,
            )
        )
    return pieces


def _next_in_rotation(rotation: Rotation, owner: str) -> list[str]:
    """Team members after the turn's owner, in rotation order, each once, owner excluded."""
    team = rotation.team
    # From the owner's place, not the turn's index: a pinned phase moves whose index is whose.
    place = team.index(owner) if owner in team else 0
    return [team[(place + step) % len(team)] for step in range(1, len(team))]


def _away_within(
    people: Mapping[str, Person], person_key: str | None, start: datetime, end: datetime
) -> list[Unavailable]:
    """The person's time off overlapping [start, end), clipped to it, in UTC."""
    person = people.get(person_key) if person_key else None
    if person is None:
        return []
    windows = []
    for period in person.unavailable:
        window_start, window_end = (
            max(utc(period.start), start),
            min(utc(period.end), end),
        )
        if window_start < window_end:
            windows.append(Unavailable(window_start, window_end, period.reason))
    return windows


def _away_at(windows: list[Unavailable], at: datetime) -> Unavailable | None:
    """The first time-off window containing `at` (its reason is the one shown), if any."""
    return next((w for w in windows if w.start <= at < w.end), None)
