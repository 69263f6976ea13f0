"""Reading `business_hours`, `auditor` and `calendar`: settings with sensible defaults."""

from __future__ import annotations

from datetime import time, timedelta

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import AuditorSettings, BusinessHours, CalendarSettings
from oncall.config.nodes import (
    read_duration,
    read_mapping,
    read_number,
    read_parsed,
    read_text,
    read_texts,
)
from oncall.config.problems import Problems
from oncall.config.values import check_timezone, did_you_mean, parse_days, parse_time

BUSINESS_HOURS_KEYS = ("days", "start", "end", "timezone")
AUDITOR_MODES = ("auto", "propose")
# Threshold name → (lowest, highest or None, lowest allowed?): docs/auditor.md's knobs.
AUDITOR_NUMBERS = {
    "prior_mean": (0.0, 1.0, False),
    "prior_strength": (0.0, None, False),
    "demote_min_pages": (0.0, None, True),
    "demote_upper_below": (0.0, 1.0, True),
    "promote_lower_at_least": (0.0, 1.0, True),
    "tune_rate_below": (0.0, 1.0, True),
    "tune_transient_share": (0.0, 1.0, True),
}
AUDITOR_DURATIONS = ("window", "half_life", "min_days_between_changes")
AUDITOR_KEYS = (
    "mode",
    "rule_key",
    "rules_files",
    "exempt",
    *AUDITOR_DURATIONS,
    *AUDITOR_NUMBERS,
)
CALENDAR_KEYS = ("horizon_back", "horizon_ahead", "reminders")


def default_business_hours(timezone: str) -> BusinessHours:
    """Monday to Friday, 09:00 to 18:00 in `timezone`."""
    return BusinessHours(frozenset(range(5)), time(9), time(18), timezone)


def read_business_hours(node: Node, ctx: Context) -> BusinessHours | None:
    """`{days: mon-fri, start: "09:00", end: "18:00"}`; days take ranges, lists or one day."""
    problems = ctx.problems
    fields = read_mapping(node, problems, "`business_hours`", BUSINESS_HOURS_KEYS)
    if fields is None:
        return None
    result = default_business_hours(ctx.timezone)
    days: frozenset[int] | None = result.days
    if "days" in fields:
        days = _read_days(fields.get("days"), ctx)
    start: time | None = result.start
    end: time | None = result.end
    if "start" in fields:
        start = read_parsed(fields.get("start"), problems, "`start` of `business_hours`", parse_time)
    if "end" in fields:
        end = read_parsed(fields.get("end"), problems, "`end` of `business_hours`", parse_time)
    if start is not None and end is not None and end <= start:
        problems.error(
            fields.get("end") or fields.node,
            f"`business_hours` end ({end:%H:%M}) must be after start ({start:%H:%M})",
        )
        return None
    timezone: str | None = ctx.timezone
    if "timezone" in fields:
        timezone = read_parsed(
            fields.get("timezone"),
            problems,
            "`timezone` of `business_hours`",
            check_timezone,
        )
    if days is None or start is None or end is None or timezone is None:
        return None
    return BusinessHours(days, start, end, timezone)


def _read_days(node: Node, ctx: Context) -> frozenset[int] | None:
    specs = read_texts(node, ctx.problems, "`days` of `business_hours`", single_ok=True)
    if specs is None:
        return None
    if not specs:
        ctx.problems.error(node, "`days` of `business_hours` is empty; name at least one day")
        return None
    days: set[int] = set()
    for _, spec_node in specs:
        parsed = read_parsed(spec_node, ctx.problems, "`days` of `business_hours`", parse_days)
        if parsed is None:
            return None
        days |= parsed
    return frozenset(days)


def read_auditor(node: Node, ctx: Context) -> AuditorSettings | None:
    """The `auditor` section: mode, rule identity, files, exemptions and every threshold."""
    problems = ctx.problems
    fields = read_mapping(node, problems, "`auditor`", AUDITOR_KEYS)
    if fields is None:
        return None
    values: dict[str, object] = {}
    ok = True
    if "mode" in fields:
        mode = read_text(fields.get("mode"), problems, "`mode` of `auditor`")
        if mode is not None and mode not in AUDITOR_MODES:
            hint = did_you_mean(mode, AUDITOR_MODES)
            problems.error(
                fields.get("mode"),
                f"`mode` of `auditor` must be auto or propose, not `{mode}`{hint}",
            )
            mode = None
        ok &= mode is not None
        values["mode"] = mode
    for name in ("rule_key", "rules_files", "exempt"):
        if name in fields:
            items = read_texts(fields.get(name), problems, f"`{name}` of `auditor`", single_ok=True)
            ok &= items is not None
            values[name] = tuple(text for text, _ in items or [])
    if "rule_key" in values and not values["rule_key"]:
        problems.error(fields.get("rule_key"), "`rule_key` of `auditor` names no label")
        ok = False
    for name in AUDITOR_DURATIONS:
        if name in fields:
            value = _read_auditor_duration(name, fields.get(name), ctx)
            ok &= value is not None
            values[name] = value
    for name, (low, high, low_allowed) in AUDITOR_NUMBERS.items():
        if name in fields:
            number = read_number(
                fields.get(name),
                problems,
                f"`{name}` of `auditor`",
                low,
                high=high,
                low_allowed=low_allowed,
            )
            ok &= number is not None
            values[name] = number
    if not ok:
        return None
    settings = AuditorSettings(**values)  # type: ignore[arg-type]
    if settings.promote_lower_at_least < settings.demote_upper_below:
        problems.error(
            fields.get("promote_lower_at_least") or fields.get("demote_upper_below"),
            f"`promote_lower_at_least` ({settings.promote_lower_at_least:g}) must be at least "
            f"`demote_upper_below` ({settings.demote_upper_below:g}), or a rule could be "
            "demoted and promoted back and forth",
        )
        return None
    return settings


def _read_auditor_duration(name: str, node: Node, ctx: Context) -> timedelta | None:
    what = f"`{name}` of `auditor`"
    # `min_days_between_changes: 14` reads naturally as days; `14d` works too, as everywhere.
    if name == "min_days_between_changes" and node.tag.endswith(":int"):
        number = read_number(node, ctx.problems, what, 0.0)
        return None if number is None else timedelta(days=number)
    return read_duration(node, ctx.problems, what, positive=True)


LONGEST_HORIZON = timedelta(weeks=104)


def _horizon(node: Node, problems: Problems, what: str, positive: bool) -> timedelta | None:
    """A calendar horizon: feeds and gap checks compute every turn in it, so at most 104w."""
    value = read_duration(node, problems, what, positive=positive)
    if value is not None and value > LONGEST_HORIZON:
        problems.error(node, f"{what} must be at most 104w (two years)")
        return None
    return value


def read_calendar(node: Node, ctx: Context) -> CalendarSettings | None:
    """The `calendar` section: how far back and ahead feeds reach, and reminders."""
    problems = ctx.problems
    fields = read_mapping(node, problems, "`calendar`", CALENDAR_KEYS)
    if fields is None:
        return None
    defaults = CalendarSettings()
    back: timedelta | None = defaults.horizon_back
    ahead: timedelta | None = defaults.horizon_ahead
    if "horizon_back" in fields:
        back = _horizon(fields.get("horizon_back"), problems, "`horizon_back` of `calendar`", positive=False)
    if "horizon_ahead" in fields:
        ahead = _horizon(
            fields.get("horizon_ahead"), problems, "`horizon_ahead` of `calendar`", positive=True
        )
    reminders: list[timedelta] | None = list(defaults.reminders)
    if "reminders" in fields:
        items = read_texts(
            fields.get("reminders"),
            problems,
            "`reminders` of `calendar`",
            single_ok=True,
        )
        reminders = None if items is None else []
        for _, item in items or []:
            value = read_duration(item, problems, "a reminder in `calendar`")
            if value is None or reminders is None:
                reminders = None
            else:
                reminders.append(value)
    if back is None or ahead is None or reminders is None:
        return None
    return CalendarSettings(back, ahead, tuple(reminders))
