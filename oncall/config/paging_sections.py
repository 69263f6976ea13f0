"""Reading `escalations`, `routes` and `severity`: who gets paged for an alert, and how hard."""

from __future__ import annotations

from datetime import timedelta

from yaml.nodes import MappingNode, Node, SequenceNode

from oncall.config.channel_sections import read_channel_list
from oncall.config.context import Context
from oncall.config.model import (
    SEVERITIES,
    EscalationPolicy,
    Level,
    Route,
    SeverityMap,
    Target,
)
from oncall.config.named import read_named
from oncall.config.nodes import (
    describe,
    read_duration,
    read_int,
    read_list,
    read_mapping,
    read_text,
)
from oncall.config.slack_values import read_policy_slack
from oncall.config.target_sections import read_target
from oncall.config.values import did_you_mean
from oncall.durations import format_duration

POLICY_KEYS = ("levels", "repeat", "slack")
LEVEL_KEYS = ("notify", "after", "when", "renotify", "channels")
CONDITIONS = ("unacknowledged", "unresolved")
ROUTE_KEYS = ("match", "escalation")
SEVERITY_KEYS = ("label", "map", "default")


def read_escalations(node: Node, ctx: Context) -> dict[str, EscalationPolicy]:
    """The `escalations` mapping: key → levels (notify, after, when, renotify) and repeat."""
    return read_named(
        node, ctx, section="escalations", kind="escalation", registry=ctx.escalations, read_one=_read_policy
    )


def _read_policy(key: str, node: Node, ctx: Context) -> EscalationPolicy | None:
    what = f"escalation `{key}`"
    fields = read_mapping(node, ctx.problems, what, POLICY_KEYS, required=("levels",))
    if fields is None:
        return None
    repeat = 0
    if "repeat" in fields:
        repeat = read_int(fields.get("repeat"), ctx.problems, f"`repeat` of {what}")
    slack = read_policy_slack(fields.get("slack"), ctx, what) if "slack" in fields else None
    if "levels" not in fields:
        return None
    items = read_list(fields.get("levels"), ctx.problems, f"`levels` of {what}")
    if items is None:
        return None
    if not items:
        ctx.problems.error(fields.get("levels"), f"{what} has no levels; add at least one")
        return None
    levels: list[Level | None] = []
    previous: tuple[int, timedelta] | None = None
    for number, item in enumerate(items, start=1):
        level, after_node = _read_level(number, item, what, ctx)
        levels.append(level)
        if level is None:
            continue
        # `after` counts from when the alert triggered, so a later level cannot come sooner.
        if previous is not None and level.after < previous[1]:
            ctx.problems.error(
                after_node,
                f"level {number} of {what} comes after {format_duration(level.after)}, sooner "
                f"than level {previous[0]} ({format_duration(previous[1])}); `after` counts "
                "from when the alert triggered, so it must not go down",
            )
        previous = (number, level.after)
    if repeat is None or any(level is None for level in levels):
        return None
    if "slack" in fields and slack is None:
        return None
    return EscalationPolicy(key, tuple(levels), repeat, slack_channel=slack)


def _read_level(number: int, node: Node, policy: str, ctx: Context) -> tuple[Level | None, Node | None]:
    what = f"level {number} of {policy}"
    problems = ctx.problems
    fields = read_mapping(node, problems, what, LEVEL_KEYS, required=("notify",))
    if fields is None:
        return None, None
    targets = _read_targets(fields.get("notify"), what, ctx) if "notify" in fields else None
    after: timedelta | None = timedelta(0)
    if "after" in fields:
        after = read_duration(fields.get("after"), problems, f"`after` of {what}")
    elif number > 1:
        problems.error(
            fields.node,
            f"{what} needs `after` (time since the alert triggered, e.g. 15m)",
        )
        after = None
    when: str | None = "unacknowledged"
    if "when" in fields:
        when = read_text(fields.get("when"), problems, f"`when` of {what}")
        if when is not None and when not in CONDITIONS:
            hint = did_you_mean(when, CONDITIONS)
            problems.error(
                fields.get("when"),
                f"`when` of {what} must be unacknowledged or unresolved, not `{when}`{hint}",
            )
            when = None
    renotify = None
    if "renotify" in fields:
        renotify = read_duration(fields.get("renotify"), problems, f"`renotify` of {what}", positive=True)
        if renotify is None:
            return None, None
    channels = None
    if "channels" in fields:
        channels = read_channel_list(fields.get("channels"), ctx, f"`channels` of {what}")
        if channels is None:
            return None, None
    if targets is None or after is None or when is None:
        return None, fields.get("after")
    return Level(tuple(targets), after, when, renotify, channels), fields.get("after") or fields.node


def _read_targets(node: Node, what: str, ctx: Context) -> list[Target] | None:
    # `notify` is one target ({person: choi}) or a list of them.
    if isinstance(node, SequenceNode):
        items = list(node.value)
        if not items:
            ctx.problems.error(node, f"`notify` of {what} names no one")
            return None
    elif isinstance(node, MappingNode):
        items = [node]
    else:
        ctx.problems.error(
            node,
            f"`notify` of {what} must be {{rotation: NAME}}, {{person: NAME}} or a list of "
            f"them, not {describe(node)}",
        )
        return None
    targets = [read_target(item, f"a `notify` target of {what}", ctx, owner=what) for item in items]
    if any(target is None for target in targets):
        return None
    return targets  # type: ignore[return-value]


def read_routes(node: Node | None, ctx: Context, anchor: Node | None) -> tuple[Route, ...]:
    """The `routes` list, first match wins; warns when no route catches everything else.

    `anchor` is where a missing `routes` section is reported (the start of the file).
    """
    items = read_list(node, ctx.problems, "`routes`") if node is not None else []
    routes: list[Route] = []
    default_at: int | None = None
    for number, item in enumerate(items or [], start=1):
        route = _read_route(number, item, ctx)
        if route is None:
            continue
        if default_at is not None:
            ctx.problems.warning(
                item,
                f"route {number} comes after the default route (route {default_at}) and will never match",
            )
        elif not route.match:
            default_at = number
        routes.append(route)
    if default_at is None and items is not None:
        ctx.problems.warning(
            node if node is not None else anchor,
            "no default route: alerts that match no route page nobody; add a last route "
            "with only `escalation`",
        )
    return tuple(routes)


def _read_route(number: int, node: Node, ctx: Context) -> Route | None:
    what = f"route {number}"
    problems = ctx.problems
    fields = read_mapping(node, problems, what, ROUTE_KEYS, required=("escalation",))
    if fields is None:
        return None
    match = read_match(fields.get("match"), what, ctx)
    escalation = read_escalation_name(fields.get("escalation"), what, ctx)
    if escalation is None or match is None:
        return None
    return Route(escalation, match)


def read_match(node: Node | None, what: str, ctx: Context) -> tuple[tuple[str, str], ...] | None:
    """The `match` labels of `what` (a route, a heartbeat): () when it has none, None when any is
    wrong (each problem reported)."""
    if node is None:
        return ()
    labels = read_mapping(node, ctx.problems, f"`match` of {what}", extensions=False)
    if labels is None:
        return None
    match: list[tuple[str, str]] = []
    for label, value_node in labels.values.items():
        value = read_text(value_node, ctx.problems, f"label `{label}` in `match` of {what}")
        if value is not None:
            match.append((label, value))
    return tuple(match) if len(match) == len(labels.values) else None


def read_escalation_name(node: Node | None, what: str, ctx: Context) -> str | None:
    """The `escalation` `what` pages, if it names a defined one (else reported)."""
    if node is None:
        return None
    name = read_text(node, ctx.problems, f"`escalation` of {what}")
    if name is None or not ctx.check_reference(name, node, "escalation", what):
        return None
    return name


def read_severity(node: Node, ctx: Context) -> SeverityMap | None:
    """The `severity` section: which label to read and how its values map to SEV-1..SEV-4."""
    problems = ctx.problems
    fields = read_mapping(node, problems, "`severity`", SEVERITY_KEYS)
    if fields is None:
        return None
    defaults = SeverityMap()
    label: str | None = defaults.label
    if "label" in fields:
        label = read_text(fields.get("label"), problems, "`label` of `severity`")
    mapping: list[tuple[str, str]] | None = list(defaults.mapping)
    if "map" in fields:
        entries = read_mapping(fields.get("map"), problems, "`map` of `severity`", extensions=False)
        mapping = None if entries is None else []
        for value, level_node in (entries.values if entries else {}).items():
            level = _read_sev(level_node, f"the level of `{value}` in `severity`", ctx)
            if level is None or mapping is None:
                mapping = None
            else:
                mapping.append((value, level))
    default: str | None = defaults.default
    if "default" in fields:
        default = _read_sev(fields.get("default"), "`default` of `severity`", ctx)
    if label is None or mapping is None or default is None:
        return None
    return SeverityMap(label, tuple(mapping), default)


def _read_sev(node: Node, what: str, ctx: Context) -> str | None:
    text = read_text(node, ctx.problems, what)
    if text is None:
        return None
    if text not in SEVERITIES:
        # Only spelling slips get a hint: "did you mean SEV-4" for SEV-5 would be a guess.
        spelled = spell_severity(text)
        hint = f" — did you mean `{spelled}`?" if spelled in SEVERITIES else ""
        choices = ", ".join(SEVERITIES)
        ctx.problems.error(node, f"{what} must be one of {choices}, not `{text}`{hint}")
        return None
    return text


def spell_severity(text: str) -> str:
    """`text` as a severity is spelled: `sev2`, `Sev 2`, `2` → `SEV-2` (checked by the caller)."""
    return "SEV-" + text.upper().removeprefix("SEV").lstrip("-_ ")
