"""Reading `rotations` and `overrides`: who is on call when (`people` are read next door)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.layer_sections import read_layers
from oncall.config.model import Override, Phase, Rotation, WeeklyWindow
from oncall.config.named import read_named
from oncall.config.nodes import (
    Fields,
    read_duration,
    read_list,
    read_mapping,
    read_optional_text,
    read_parsed,
    read_text,
    read_texts,
)
from oncall.config.people_sections import read_timezone
from oncall.config.restrict_sections import read_restrict
from oncall.config.values import (
    did_you_mean,
    parse_date,
    parse_handoff,
    parse_local_datetime,
)
from oncall.wallclock import resolve_wall, zone

ROTATION_KEYS = ("type", "every", "handoff", "start", "team", "timezone", "restrict", "layers", "phase")
PHASE_KEYS = ("at", "person")
ROTATION_TYPES = ("weekly", "daily", "every")
OVERRIDE_KEYS = ("rotation", "person", "from", "to", "reason")
# A turn shorter than an hour is no rotation anyone can live by, and it multiplies the turns
# every schedule, feed and gap check computes; one longer than a year is a typo.
SHORTEST_TURN = timedelta(hours=1)
LONGEST_TURN = timedelta(weeks=52)
_DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _local_moment(timezone: str) -> Callable[[str], datetime]:
    return lambda text: resolve_wall(parse_local_datetime(text), zone(timezone))


def read_rotations(node: Node, ctx: Context) -> dict[str, Rotation]:
    """The `rotations` mapping: key → type or every, handoff, start, team, time zone, restrict,
    or `layers` of those (bottom first)."""
    return read_named(
        node, ctx, section="rotations", kind="rotation", registry=ctx.rotations, read_one=_read_rotation
    )


def _read_rotation(key: str, node: Node, ctx: Context) -> Rotation | None:
    what = f"rotation `{key}`"
    problems = ctx.problems
    fields = read_mapping(node, problems, what, ROTATION_KEYS)
    if fields is None:
        return None
    timezone = read_timezone(fields, what, ctx)
    ctx.rotation_timezones[key] = timezone
    if "layers" in fields.keys:
        return read_layers(key, fields, timezone, ctx, _read_turns)
    _check_required(fields, ("handoff", "start", "team"), what, ctx)
    return _read_turns(key, fields, what, timezone, ctx)


def _check_required(fields: Fields, required: tuple[str, ...], what: str, ctx: Context) -> None:
    for name in required:
        if name not in fields.keys:
            ctx.problems.error(fields.node, f"{what} is missing `{name}`")
        elif fields.get(name) is None:
            ctx.problems.error(fields.values[name], f"`{name}` in {what} has no value")


def _read_turns(key: str, fields: Fields, what: str, timezone: str, ctx: Context) -> Rotation | None:
    """The plain keys of a rotation or of one of its layers: type/every, handoff, start, team."""
    problems = ctx.problems
    kind, period = _read_kind(fields, what, ctx)
    handoff = start = None
    if "handoff" in fields:
        handoff = read_parsed(fields.get("handoff"), problems, f"`handoff` of {what}", parse_handoff)
    if handoff is not None and kind == "weekly" and handoff[0] is None:
        problems.error(
            fields.get("handoff"),
            f"`handoff` of weekly {what} needs a day, e.g. `mon {handoff[1]:%H:%M}`",
        )
        handoff = None
    if handoff is not None and kind == "daily" and handoff[0] is not None:
        problems.error(
            fields.get("handoff"),
            f"`handoff` of daily {what} must not name a day; write just the time, e.g. `{handoff[1]:%H:%M}`",
        )
        handoff = None
    if "start" in fields:
        start = read_parsed(fields.get("start"), problems, f"`start` of {what}", parse_date)
    team = _read_team(fields.get("team"), what, ctx) if "team" in fields else None
    restrict: tuple[WeeklyWindow, ...] | None = ()
    if "restrict" in fields.keys:
        restrict = read_restrict(fields.values["restrict"], ctx, what)
    phase: Phase | None = None
    if "phase" in fields.keys:
        phase = _read_phase(fields.values["phase"], what, timezone, team, ctx)
        if phase is None:
            return None
    if kind is None or period is None or handoff is None or start is None or not team or restrict is None:
        return None
    weekday, at = handoff
    if weekday is not None and start.weekday() != weekday:
        first = start + timedelta(days=(weekday - start.weekday()) % 7)
        problems.warning(
            fields.get("start"),
            f"{what} starts on {_DAY_NAMES[start.weekday()]} {start} but hands off on "
            f"{_DAY_NAMES[weekday]}s; its first shift begins {_DAY_NAMES[weekday]} {first}",
        )
    return Rotation(
        key, kind, period, weekday, at, start, tuple(team), timezone, restrict=restrict, phase=phase
    )


def _read_phase(node: Node, what: str, timezone: str, team: list[str] | None, ctx: Context) -> Phase | None:
    """`phase: {at: "YYYY-MM-DD HH:MM", person: kim}`: who holds the turn in progress at `at`."""
    where = f"`phase` of {what}"
    fields = read_mapping(node, ctx.problems, where, PHASE_KEYS, required=PHASE_KEYS)
    if fields is None or "at" not in fields or "person" not in fields:
        return None
    at = read_parsed(fields.get("at"), ctx.problems, f"`at` of {where}", _local_moment(timezone))
    person = read_text(fields.get("person"), ctx.problems, f"`person` of {where}")
    if person is not None and team and person not in team:
        hint = did_you_mean(person, team)
        ctx.problems.error(
            fields.get("person"),
            f"`person` of {where} must be in its team ({', '.join(team)}), not `{person}`{hint}",
        )
        return None
    if at is None or person is None:
        return None
    return Phase(at, person)


def _read_kind(fields: Fields, what: str, ctx: Context) -> tuple[str | None, timedelta | None]:
    problems = ctx.problems
    kind = None
    if "type" in fields:
        kind = read_text(fields.get("type"), problems, f"`type` of {what}")
        if kind is not None and kind not in ROTATION_TYPES:
            hint = did_you_mean(kind, ROTATION_TYPES)
            problems.error(
                fields.get("type"),
                f"`type` of {what} must be weekly or daily (or use `every: 12h`), not `{kind}`{hint}",
            )
            return None, None
    if "every" in fields:
        if kind in ("weekly", "daily"):
            problems.error(
                fields.get("every"),
                f"{what} has both `type: {kind}` and `every`; give one of them",
            )
            return None, None
        every = read_duration(fields.get("every"), problems, f"`every` of {what}", positive=True)
        if every is not None and not SHORTEST_TURN <= every <= LONGEST_TURN:
            problems.error(fields.get("every"), f"`every` of {what} must be from 1h to 52w")
            every = None
        return ("every", every) if every is not None else (None, None)
    if kind == "every":
        problems.error(fields.node, f"{what} has `type: every` but no `every: <duration>`")
        return None, None
    if kind is None:
        if "type" not in fields:
            problems.error(
                fields.node,
                f"{what} needs `type: weekly`, `type: daily` or `every: <duration>`",
            )
        return None, None
    return kind, timedelta(days=7 if kind == "weekly" else 1)


def _read_team(node: Node, what: str, ctx: Context) -> list[str] | None:
    members = read_texts(node, ctx.problems, f"`team` of {what}")
    if members is None:
        return None
    if not members:
        ctx.problems.error(node, f"the team of {what} is empty; name at least one person")
        return None
    team: list[str] = []
    for name, member_node in members:
        if name in team:
            ctx.problems.error(member_node, f"`{name}` is in the team of {what} twice")
            continue
        ctx.people_in_use.add(name)
        if ctx.check_reference(name, member_node, "person", what):
            team.append(name)
    return team if len(team) == len(members) else None


def read_overrides(node: Node, ctx: Context) -> tuple[Override, ...]:
    """The `overrides` list; each `from`/`to` is local to its rotation's time zone."""
    items = read_list(node, ctx.problems, "`overrides`")
    built: list[tuple[Override, Node]] = []
    for index, item in enumerate(items or []):
        override = _read_override(index, item, ctx)
        if override is not None:
            built.append((override, item))
    _check_overlaps(built, ctx)
    return tuple(override for override, _ in built)


def _read_override(index: int, node: Node, ctx: Context) -> Override | None:
    what = f"override {index + 1}"
    problems = ctx.problems
    required = ("rotation", "person", "from", "to")
    fields = read_mapping(node, problems, what, OVERRIDE_KEYS, required=required)
    if fields is None:
        return None
    rotation = person = start = end = None
    if "rotation" in fields:
        rotation = read_text(fields.get("rotation"), problems, f"`rotation` of {what}")
        if rotation is not None and not ctx.check_reference(
            rotation, fields.get("rotation"), "rotation", what
        ):
            rotation = None
    if "person" in fields:
        person = read_text(fields.get("person"), problems, f"`person` of {what}")
        if person is not None and not ctx.check_reference(person, fields.get("person"), "person", what):
            person = None
    timezone = ctx.rotation_timezones.get(rotation or "", ctx.timezone)
    if "from" in fields:
        start = read_parsed(fields.get("from"), problems, f"`from` of {what}", _local_moment(timezone))
    if "to" in fields:
        end = read_parsed(fields.get("to"), problems, f"`to` of {what}", _local_moment(timezone))
    reason = read_optional_text(fields.get("reason"), ctx.problems, f"`reason` of {what}")
    if start is not None and end is not None and end <= start:
        empty = "is empty (`to` equals `from`)" if end == start else "ends before it starts"
        problems.error(fields.get("to"), f"{what} {empty}")
        return None
    if rotation is None or person is None or start is None or end is None:
        return None
    return Override(rotation, person, start, end, reason, id=f"yaml:{index}")


def _check_overlaps(built: list[tuple[Override, Node]], ctx: Context) -> None:
    # Two YAML overrides on one rotation at once would leave "who is on call" to list order.
    for later_index, (later, later_node) in enumerate(built):
        for earlier, earlier_node in built[:later_index]:
            if earlier.rotation == later.rotation and later.start < earlier.end and earlier.start < later.end:
                ctx.problems.error(
                    later_node,
                    f"override {_number(later)} overlaps override {_number(earlier)} "
                    f"(line {earlier_node.start_mark.line + 1}) on rotation `{later.rotation}`; "
                    "overrides of one rotation must not overlap",
                )
                break


def _number(override: Override) -> int:
    return int((override.id or "yaml:0").split(":")[1]) + 1
