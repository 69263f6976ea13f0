"""Reading a rotation's (or a layer's) `restrict:` list: the weekly hours its turns count.

Two shapes of window, in the rotation's time zone, their union taken:

- `{days: mon-fri, from: "09:00", to: "17:00"}`: on each listed day; a `to` at or before `from`
  crosses midnight (so `from` equal to `to` is a whole 24 hours from that time);
- `{from: "sat 10:00", to: "mon 08:00"}`: one window a week, a day and a time at both ends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import TypeVar

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import WeeklyWindow
from oncall.config.nodes import Fields, read_list, read_mapping, read_parsed, read_texts
from oncall.config.values import parse_days, parse_handoff, parse_time

T = TypeVar("T")

WINDOW_KEYS = ("days", "from", "to")
EVERY_DAY = ("daily", "all")
_DAY = timedelta(days=1)
_WEEK = timedelta(weeks=1)


def read_restrict(node: Node, ctx: Context, what: str) -> tuple[WeeklyWindow, ...] | None:
    """The windows of `restrict` in `what`, or None after reporting every problem in it."""
    label = f"`restrict` of {what}"
    items = read_list(node, ctx.problems, label)
    if items is None:
        return None
    if not items:
        ctx.problems.error(node, f"{label} is empty; leave it out to be on call at all hours")
        return None
    windows: list[WeeklyWindow] = []
    complete = True
    for number, item in enumerate(items, start=1):
        read = _read_window(item, ctx, f"window {number} of {label}")
        complete = complete and read is not None
        windows.extend(read or ())
    return tuple(windows) if complete else None


def parse_day_set(text: str) -> frozenset[int]:
    """`mon-fri`, `mon,wed,fri`, `sat-sun`, `daily` or `all` (days 0=Monday..6=Sunday)."""
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        days |= set(range(7)) if part.lower() in EVERY_DAY else parse_days(part)
    return frozenset(days)


def _read_window(node: Node, ctx: Context, what: str) -> list[WeeklyWindow] | None:
    fields = read_mapping(node, ctx.problems, what, WINDOW_KEYS, required=("from", "to"))
    if fields is None:
        return None
    if "days" in fields.keys:
        return _read_daily_window(fields, ctx, what)
    return _read_weekly_window(fields, ctx, what)


def _read_daily_window(fields: Fields, ctx: Context, what: str) -> list[WeeklyWindow] | None:
    days = _read_days(fields.values["days"], ctx, what)
    opens = _read_end(fields, "from", ctx, what, parse_time)
    closes = _read_end(fields, "to", ctx, what, parse_time)
    if days is None or opens is None or closes is None:
        return None
    start, end = _since_midnight(opens), _since_midnight(closes)
    length = (end - start) % _DAY or _DAY
    return [WeeklyWindow(day * _DAY + start, length) for day in sorted(days)]


def _read_weekly_window(fields: Fields, ctx: Context, what: str) -> list[WeeklyWindow] | None:
    ends = [_read_end(fields, key, ctx, what, parse_handoff) for key in ("from", "to")]
    for key, end in zip(("from", "to"), ends, strict=True):
        if end is not None and end[0] is None:
            ctx.problems.error(
                fields.get(key),
                f"`{key}` of {what} needs a day and a time, e.g. `sat {end[1]:%H:%M}`, "
                "or give `days:` for a window on each of some days",
            )
    if any(end is None or end[0] is None for end in ends):
        return None
    start, end = (day * _DAY + _since_midnight(clock) for day, clock in ends)
    length = (end - start) % _WEEK
    if not length:
        ctx.problems.error(fields.get("to"), f"{what} has zero length (`to` equals `from`)")
        return None
    return [WeeklyWindow(start, length)]


def _read_days(node: Node, ctx: Context, what: str) -> frozenset[int] | None:
    label = f"`days` of {what}"
    specs = read_texts(node, ctx.problems, label, single_ok=True)
    if specs is None:
        return None
    if not specs:
        ctx.problems.error(node, f"{label} is empty; name at least one day (or `daily`)")
        return None
    days: set[int] = set()
    for _text, spec_node in specs:
        parsed = read_parsed(spec_node, ctx.problems, label, parse_day_set)
        if parsed is None:
            return None
        days |= parsed
    return frozenset(days)


def _read_end(fields: Fields, key: str, ctx: Context, what: str, parse: Callable[[str], T]) -> T | None:
    node = fields.get(key)
    if node is None:
        return None
    return read_parsed(node, ctx.problems, f"`{key}` of {what}", parse)


def _since_midnight(clock: time) -> timedelta:
    return timedelta(hours=clock.hour, minutes=clock.minute)
