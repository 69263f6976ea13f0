"""A readable table of the coming weeks of a rotation, for review before a change lands."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from oncall.clock import utc
from oncall.config.model import Config, Override
from oncall.schedule.formatting import (
    describe_rotation,
    hours,
    kind_text,
    local_time,
    name_of,
)
from oncall.schedule.shifts import on_call_at, rotation_of, shifts_between
from oncall.wallclock import resolve_wall, to_local_wall, zone

_HEADERS = ("Start", "End", "Who", "Kind", "Hours")


def preview_table(
    config: Config,
    rotation_key: str,
    start: datetime,
    weeks: int,
    extra_overrides: Iterable[Override] = (),
) -> str:
    """A fixed-width table of the rotation's pieces over `weeks` weeks from `start`.

    Times are in the rotation's time zone with weekday and zone abbreviation; hours are real
    elapsed hours, so a weekly turn across a DST change reads 167 or 169. The piece in progress
    at `start` and the one in progress at the end are shown whole.
    """
    rotation = rotation_of(config, rotation_key)
    extra = tuple(extra_overrides)
    tz = zone(rotation.timezone)
    start = utc(start)
    # "N weeks" on the calendar: the same local time N weeks later, whatever DST does between.
    end = resolve_wall(to_local_wall(start, tz) + timedelta(weeks=weeks), tz)
    first = on_call_at(config, rotation_key, start, extra)
    last = on_call_at(config, rotation_key, end - timedelta(microseconds=1), extra)
    window_start = min(start, first.start) if first else start
    window_end = max(end, last.end) if last else end

    names = {key: person.name for key, person in config.people.items()}
    rows = [
        (
            local_time(piece.start, rotation.timezone),
            local_time(piece.end, rotation.timezone),
            name_of(names, piece.person),
            kind_text(piece, names),
            hours(piece.duration),
        )
        for piece in shifts_between(config, rotation_key, window_start, window_end, extra)
    ]
    title = f"{rotation_key}: {describe_rotation(rotation, names)}"
    return title + "\n" + render_table(_HEADERS, rows, right_aligned={4})


def render_table(
    headers: tuple[str, ...],
    rows: list[tuple[str, ...]],
    right_aligned: Collection[int] = (),
) -> str:
    """Columns padded to their widest cell, two spaces apart, with a rule under the headers."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: tuple[str, ...]) -> str:
        padded = [
            cell.rjust(width) if index in right_aligned else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths))
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)]) + "\n"
