"""Layers: several plain rotations stacked into one, each perhaps restricted to some hours.

Each layer makes its turns as a plain rotation would (handoffs, DST, time off covered by the
next available member of that layer's team), masked by its restriction windows. Stacked bottom
first, a later layer wins wherever it has someone on call; where it has nobody (outside its
hours, before its first turn, everyone away) the layers below show through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

from oncall.config.model import Person, Rotation
from oncall.schedule.restrict import OUTSIDE_HOURS, masked, open_windows
from oncall.schedule.shift import Shift
from oncall.schedule.timeoff import cover_time_off
from oncall.schedule.turns import handoff_instant, regular_turns

NO_LAYER = "no layer has anyone on call"


def composed_layers(
    people: Mapping[str, Person], rotation: Rotation, start: datetime, end: datetime
) -> list[Shift]:
    """Ordered pieces covering at least [start, end) before overrides.

    A plain rotation's pieces are its whole turns (not cut at the range); a layered one's are
    cut at [start, end), each carrying the number of the layer it came from.
    """
    layers = rotation.turn_layers
    if len(layers) == 1:
        return layer_pieces(people, layers[0], start, end)
    stacks = [
        [replace(piece, layer=number) for piece in layer_pieces(people, layer, start, end)]
        for number, layer in enumerate(layers, start=1)
    ]
    return overlaid(stacks, start, end)


def layer_pieces(
    people: Mapping[str, Person], layer: Rotation, start: datetime, end: datetime
) -> list[Shift]:
    """One plain rotation's whole turns overlapping [start, end), time off covered, masked."""
    pieces = before_first_turn(layer, start, end)
    for turn in regular_turns(layer, start, end):
        pieces.extend(cover_time_off(people, layer, turn))
    if layer.restrict and pieces:
        spans = open_windows(layer.restrict, layer.timezone, pieces[0].start, pieces[-1].end)
        pieces = masked(pieces, spans)
    return pieces


def before_first_turn(rotation: Rotation, start: datetime, end: datetime) -> list[Shift]:
    """A gap for the part of [start, end) before the rotation's first turn, if any."""
    # With an empty team nobody ever is on call: all of the window is "before the first turn".
    first = handoff_instant(rotation, 0) if rotation.team else end
    if start >= first:
        return []
    # The time before the first turn is treated as one turn that nobody owns. Its slot_start is
    # where a turn before the first would begin: fixed, so calendar UIDs built on it are stable.
    slot_start = handoff_instant(rotation, -1)
    return [
        Shift(
            rotation=rotation.key,
            person=None,
            start=start,
            end=first,
            kind="gap",
            replaces=None,
            slot_start=slot_start,
        )
    ]


def first_turn_start(rotation: Rotation) -> datetime:
    """The instant the rotation's earliest turn (of any layer) begins."""
    return min(handoff_instant(layer, 0) for layer in rotation.turn_layers)


def overlaid(stacks: list[list[Shift]], start: datetime, end: datetime) -> list[Shift]:
    """The layers' ordered pieces stacked over [start, end): the highest with someone wins.

    Where no layer has anyone, a gap of no layer stays (see `_no_layer`). The result is cut at every layer's edges; merging neighbours of one turn restores the pieces.
    """
    points = {start, end}
    for stack in stacks:
        points.update(t for piece in stack for t in (piece.start, piece.end) if start < t < end)
    cursors = [0] * len(stacks)
    result: list[Shift] = []
    for segment_start, segment_end in pairwise(sorted(points)):
        found = [_piece_at(stack, cursors, n, segment_start) for n, stack in enumerate(stacks)]
        present = [p for p in found if p is not None]
        winner = next((p for p in reversed(present) if p.person is not None), None)
        if winner is None:
            winner = _no_layer(present)
        result.append(replace(winner, start=segment_start, end=segment_end))
    return result


def _piece_at(stack: list[Shift], cursors: list[int], number: int, at: datetime) -> Shift | None:
    """The piece of `stack` covering `at`, moving that stack's cursor forward (never back)."""
    cursor = cursors[number]
    while cursor < len(stack) and stack[cursor].end <= at:
        cursor += 1
    cursors[number] = cursor
    if cursor < len(stack) and stack[cursor].start <= at:
        return stack[cursor]
    return None


def _no_layer(present: list[Shift]) -> Shift:
    """The gap where no layer has anyone: the highest layer's piece whose turns have begun.

    Taking a begun turn's piece keeps the gap within that turn (as every other piece is), so
    the piece around an instant can be found from the turns around it.
    """
    piece = next((p for p in reversed(present) if not is_before_first_turn(p)), present[0])
    reason = NO_LAYER if piece.reason == OUTSIDE_HOURS else piece.reason
    return replace(piece, person=None, kind="gap", layer=None, reason=reason)


def is_before_first_turn(piece: Shift) -> bool:
    """Whether the piece is the gap before a rotation's (or a layer's) first turn."""
    return piece.kind == "gap" and piece.replaces is None and not piece.reason
