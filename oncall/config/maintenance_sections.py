"""Reading the optional `maintenance` section: planned work whose alerts page nobody.

maintenance:
  - match: {service: payments}          # every label must be equal
    from: "2026-12-05 02:00"            # local time of `timezone` (default: the file's)
    to: "2026-12-05 04:00"
    reason: DB migration
  - match_all: true                     # every alert: must be said explicitly
    from: "2026-12-06 01:00"
    to: "2026-12-06 01:30"
    timezone: Europe/Berlin
    reason: datacenter network switch-over
"""

from __future__ import annotations

from datetime import datetime

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import MaintenanceWindow
from oncall.config.nodes import Fields, read_list, read_mapping, read_parsed, read_text
from oncall.config.values import check_timezone, parse_local_datetime
from oncall.wallclock import resolve_wall, zone

WINDOW_KEYS = ("match", "match_all", "from", "to", "timezone", "reason")
REASON_MAX = 300  # what the database keeps of a reason


def read_maintenance(node: Node, ctx: Context) -> tuple[MaintenanceWindow, ...]:
    """The `maintenance` list; every problem is reported with its line and column."""
    items = read_list(node, ctx.problems, "`maintenance`")
    windows = (_read_window(index, item, ctx) for index, item in enumerate(items or []))
    return tuple(window for window in windows if window is not None)


def _read_window(index: int, node: Node, ctx: Context) -> MaintenanceWindow | None:
    what = f"maintenance window {index + 1}"
    problems = ctx.problems
    fields = read_mapping(node, problems, what, WINDOW_KEYS, required=("from", "to", "reason"))
    if fields is None:
        return None
    match = _read_match(fields, what, ctx)
    timezone = ctx.timezone
    if "timezone" in fields:
        timezone = read_parsed(fields.get("timezone"), problems, f"`timezone` of {what}", check_timezone)
    start = _read_moment(fields, "from", what, timezone, ctx)
    end = _read_moment(fields, "to", what, timezone, ctx)
    reason = _read_reason(fields, what, ctx)
    if start is not None and end is not None and end <= start:
        empty = (
            "is empty (`to` equals `from`)" if end == start else "ends before it starts (`to` before `from`)"
        )
        problems.error(fields.get("to"), f"{what} {empty}")
        return None
    if match is None or start is None or end is None or reason is None:
        return None
    return MaintenanceWindow(f"yaml:{index}", match, start, end, reason)


def _read_match(fields: Fields, what: str, ctx: Context) -> tuple[tuple[str, str], ...] | None:
    """The labels to match; empty only with `match_all: true`, never by leaving `match` out."""
    problems = ctx.problems
    match_all = _read_match_all(fields, what, ctx)
    if "match" not in fields:
        if match_all is False:
            problems.error(
                fields.node,
                f"{what} has no `match`: name the labels of the alerts it holds "
                "(e.g. `match: {service: payments}`), or write `match_all: true` to hold every alert",
            )
        return () if match_all else None
    if match_all:
        problems.error(fields.keys["match_all"], f"{what} has both `match` and `match_all`; keep one")
        return None
    labels = read_mapping(fields.get("match"), problems, f"`match` of {what}", extensions=False)
    if labels is None:
        return None
    if not labels.values:
        problems.error(
            fields.get("match"),
            f"`match` of {what} is empty; to hold every alert write `match_all: true` instead",
        )
        return None
    match = []
    for label, value_node in labels.values.items():
        value = read_text(value_node, problems, f"label `{label}` in `match` of {what}")
        if value is None:
            return None
        match.append((label, value))
    return tuple(match)


def _read_match_all(fields: Fields, what: str, ctx: Context) -> bool | None:
    """True, False when absent; None (reported) for anything but `true`."""
    if "match_all" not in fields:
        return False
    text = read_text(fields.get("match_all"), ctx.problems, f"`match_all` of {what}")
    if text is None:
        return None
    if text.lower() != "true":
        ctx.problems.error(
            fields.get("match_all"),
            f"`match_all` of {what} can only be `true` (every alert); to hold some alerts, give `match`",
        )
        return None
    return True


def _read_moment(fields: Fields, key: str, what: str, timezone: str | None, ctx: Context) -> datetime | None:
    if key not in fields or timezone is None:
        return None
    local = zone(timezone)
    return read_parsed(
        fields.get(key),
        ctx.problems,
        f"`{key}` of {what}",
        lambda text: resolve_wall(parse_local_datetime(text), local),
    )


def _read_reason(fields: Fields, what: str, ctx: Context) -> str | None:
    if "reason" not in fields:
        return None
    reason = read_text(fields.get("reason"), ctx.problems, f"`reason` of {what}")
    if reason is not None and len(reason) > REASON_MAX:
        ctx.problems.error(fields.get("reason"), f"`reason` of {what} is longer than {REASON_MAX} characters")
        return None
    return reason
