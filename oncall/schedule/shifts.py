"""The final schedule of a rotation: regular turns, then time off covered, then overrides.

Everything here is pure: a `Config` and instants in, `Shift` pieces out. The pieces returned by
`shifts_between` are ordered, contiguous and non-overlapping and cover the asked window exactly;
time before the rotation's first turn is a gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from oncall.clock import utc
from oncall.config.model import Config, Override, Rotation
from oncall.schedule.layers import composed_layers, first_turn_start
from oncall.schedule.shift import Shift
from oncall.schedule.turns import handoff_instant, regular_turns, turn_index_at

__all__ = [
    "Shift",
    "gap_windows",
    "gaps",
    "on_call_at",
    "regular_turns",
    "shifts_between",
    "shifts_of_person",
]

_TICK = timedelta(microseconds=1)


def shifts_between(
    config: Config,
    rotation_key: str,
    start: datetime,
    end: datetime,
    extra_overrides: Iterable[Override] = (),
) -> list[Shift]:
    """The schedule of one rotation over [start, end), clipped to it.

    Overrides come from `config.overrides` followed by `extra_overrides` (such as ones made
    through the API); where two overlap, the later one wins.
    """
    rotation = rotation_of(config, rotation_key)
    start, end = utc(start), utc(end)
    if end <= start:
        return []
    pieces = _composed(config, rotation, start, end, tuple(extra_overrides))
    clipped = [piece for p in pieces if (piece := p.clipped(start, end)) is not None]
    return _merged(clipped)


def on_call_at(
    config: Config,
    rotation_key: str,
    at: datetime,
    extra_overrides: Iterable[Override] = (),
) -> Shift | None:
    """The piece of the schedule covering `at`, with its real start and end.

    When nobody is on call the piece is a gap (person None), so callers can still say until
    when. The piece is never cut at `at`: since when and until when are the piece's own bounds
    (a gap before the rotation's first turn starts no earlier than `at` or the earliest override).
    """
    rotation = rotation_of(config, rotation_key)
    at = utc(at)
    extra = tuple(extra_overrides)
    window_start, window_end = _slot_around(config, rotation, at, extra)
    for piece in _merged(_composed(config, rotation, window_start, window_end, extra)):
        if piece.covers(at):
            return piece
    return None


def gaps(
    config: Config,
    rotation_key: str,
    start: datetime,
    end: datetime,
    extra_overrides: Iterable[Override] = (),
) -> list[tuple[datetime, datetime]]:
    """The windows within [start, end) when nobody is on call, adjacent ones joined."""
    windows: list[tuple[datetime, datetime]] = []
    for piece in shifts_between(config, rotation_key, start, end, extra_overrides):
        if piece.person is not None:
            continue
        if windows and windows[-1][1] == piece.start:
            windows[-1] = (windows[-1][0], piece.end)
        else:
            windows.append((piece.start, piece.end))
    return windows


def gap_windows(
    config: Config,
    rotation_key: str,
    start: datetime,
    end: datetime,
    extra_overrides: Iterable[Override] = (),
) -> list[tuple[datetime, datetime, bool]]:
    """Like `gaps`, each window with whether someone's time off makes it (else restricted hours,
    or a layer that has not started yet, leave it empty: expected, not an accident)."""
    windows: list[tuple[datetime, datetime, bool]] = []
    for piece in shifts_between(config, rotation_key, start, end, extra_overrides):
        if piece.person is not None:
            continue
        away = piece.replaces is not None
        if windows and windows[-1][1] == piece.start:
            windows[-1] = (windows[-1][0], piece.end, windows[-1][2] or away)
        else:
            windows.append((piece.start, piece.end, away))
    return windows


def shifts_of_person(
    config: Config,
    person_key: str,
    start: datetime,
    end: datetime,
    extra_overrides: Iterable[Override] = (),
) -> list[Shift]:
    """Every piece in any rotation during [start, end) in which `person_key` is on call."""
    extra = tuple(extra_overrides)
    found = [
        piece
        for key in config.rotations
        for piece in shifts_between(config, key, start, end, extra)
        if piece.person == person_key
    ]
    return sorted(found, key=lambda p: (p.start, p.rotation))


def rotation_of(config: Config, rotation_key: str) -> Rotation:
    """The rotation named `rotation_key`, or a KeyError that names the known ones."""
    try:
        return config.rotations[rotation_key]
    except KeyError:
        known = ", ".join(sorted(config.rotations)) or "none"
        raise KeyError(f"unknown rotation {rotation_key!r} (known: {known})") from None


def _composed(
    config: Config,
    rotation: Rotation,
    start: datetime,
    end: datetime,
    extra_overrides: tuple[Override, ...],
) -> list[Shift]:
    """Unmerged pieces covering at least [start, end): the layers' turns, then overrides."""
    pieces = composed_layers(config.people, rotation, start, end)
    for override in _overrides_for(config, rotation.key, start, end, extra_overrides):
        pieces = _apply_override(pieces, override)
    return pieces


def _overrides_for(
    config: Config,
    rotation_key: str,
    start: datetime,
    end: datetime,
    extra_overrides: tuple[Override, ...],
) -> list[Override]:
    """The overrides of this rotation that touch [start, end), in the order they apply."""
    return [
        o
        for o in (*config.overrides, *extra_overrides)
        if o.rotation == rotation_key and utc(o.start) < end and utc(o.end) > start
    ]


def _apply_override(pieces: list[Shift], override: Override) -> list[Shift]:
    """Put `override.person` on call during the override, cutting pieces at its edges."""
    o_start, o_end = utc(override.start), utc(override.end)
    result: list[Shift] = []
    for piece in pieces:
        if piece.end <= o_start or piece.start >= o_end:
            result.append(piece)
            continue
        if piece.start < o_start:
            result.append(replace(piece, end=o_start))
        result.append(
            replace(
                piece,
                person=override.person,
                start=max(piece.start, o_start),
                end=min(piece.end, o_end),
                kind="override",
                replaces=_turn_owner(piece),
                reason=override.reason,
            )
        )
        if piece.end > o_end:
            result.append(replace(piece, start=o_end))
    return result


def _turn_owner(piece: Shift) -> str | None:
    """The person whose regular turn the piece belongs to (None before the first turn)."""
    return piece.person if piece.kind == "regular" else piece.replaces


def _merged(pieces: list[Shift]) -> list[Shift]:
    """Join neighbours that are the same person, kind and turn (their reasons joined)."""
    merged: list[Shift] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end == piece.start
            and (last.person, last.kind, last.replaces, last.slot_start, last.layer)
            == (piece.person, piece.kind, piece.replaces, piece.slot_start, piece.layer)
        ):
            merged[-1] = replace(last, end=piece.end, reason=_joined(last.reason, piece.reason))
        else:
            merged.append(piece)
    return merged


def _joined(first: str, second: str) -> str:
    if not second or second in first.split("; "):
        return first
    return f"{first}; {second}" if first else second


def _slot_around(
    config: Config,
    rotation: Rotation,
    at: datetime,
    extra_overrides: tuple[Override, ...],
) -> tuple[datetime, datetime]:
    """A window around `at` within which the piece covering `at` is whole.

    Pieces never cross a turn's boundary of the layer they come from (a gap of no layer takes
    a begun layer's turn), so the span of every begun layer's turn containing `at` is enough;
    before any layer's first turn, the time until the earliest first turn.
    """
    if not rotation.layers:
        return _layer_slot_around(config, rotation, at, extra_overrides)
    begun = [layer for layer in rotation.layers if turn_index_at(layer, at) >= 0]
    if not begun:
        window_start, _ = _layer_slot_around(config, rotation.layers[0], at, extra_overrides)
        return window_start, first_turn_start(rotation)
    spans = [_layer_slot_around(config, layer, at, extra_overrides) for layer in begun]
    return min(s for s, _ in spans), max(e for _, e in spans)


def _layer_slot_around(
    config: Config,
    rotation: Rotation,
    at: datetime,
    extra_overrides: tuple[Override, ...],
) -> tuple[datetime, datetime]:
    """The turn of one plain rotation containing `at`.

    Before the first turn (or for an empty team) there is no boundary behind `at`; the earliest
    override in reach stands in for it.
    """
    index = turn_index_at(rotation, at) if rotation.team else -1
    if index >= 0:
        return handoff_instant(rotation, index), handoff_instant(rotation, index + 1)
    overrides = [o for o in (*config.overrides, *extra_overrides) if o.rotation == rotation.key]
    window_start = min([at, *(utc(o.start) for o in overrides if utc(o.start) <= at)])
    if rotation.team:
        return window_start, handoff_instant(rotation, 0)
    window_end = max([at + _TICK, *(utc(o.end) for o in overrides if utc(o.end) > at)])
    return window_start, window_end
