"""Reading the optional `heartbeats` section: signals whose silence pages someone.

heartbeats:
  prometheus:                       # the name: POST /api/v1/heartbeats/prometheus, the Now page
    every: 1m                       # a beat is expected at least this often
    grace: 30s                      # and this much later still counts (default: half of `every`)
    escalation: payments            # paged when `every + grace` passes without a beat
    alertname: Watchdog             # alerts with this alertname are beats (the default)
    match: {cluster: seoul}         # …and these labels: tells two Watchdogs apart
    severity: SEV-2                 # of the "missing" alert: SEV-1..SEV-3 (default SEV-2)
    summary: Prometheus in Seoul is silent
"""

from __future__ import annotations

from datetime import timedelta

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import Heartbeat
from oncall.config.named import read_named
from oncall.config.nodes import read_duration, read_mapping, read_optional_text, read_text
from oncall.config.paging_sections import read_escalation_name, read_match, spell_severity

HEARTBEAT_KEYS = ("every", "grace", "escalation", "alertname", "match", "severity", "summary")
HEARTBEAT_SEVERITIES = ("SEV-1", "SEV-2", "SEV-3")  # SEV-4 never pages: a silent heartbeat must
DEFAULT_ALERTNAME = "Watchdog"


def default_grace(every: timedelta) -> timedelta:
    """The grace of a heartbeat that names none: half of `every` (a 1m Watchdog pages after 1m30s)."""
    return every / 2


def read_heartbeats(node: Node, ctx: Context) -> dict[str, Heartbeat]:
    """The `heartbeats` section; every problem is reported with its line and column."""
    keys: dict[str, Node] = {}
    heartbeats = read_named(
        node, ctx, section="heartbeats", kind="heartbeat", registry=keys, read_one=_read_heartbeat
    )
    _check_overlaps(heartbeats, keys, ctx)
    return heartbeats


def _read_heartbeat(key: str, node: Node, ctx: Context) -> Heartbeat | None:
    what = f"heartbeat `{key}`"
    problems = ctx.problems
    fields = read_mapping(node, problems, what, HEARTBEAT_KEYS, required=("every", "escalation"))
    if fields is None:
        return None
    every = _duration(fields.get("every"), f"`every` of {what}", ctx, positive=True)
    grace = None if every is None else default_grace(every)
    if "grace" in fields:
        grace = _duration(fields.get("grace"), f"`grace` of {what}", ctx)
    escalation = read_escalation_name(fields.get("escalation"), what, ctx)
    alertname = DEFAULT_ALERTNAME
    if "alertname" in fields:
        alertname = read_text(fields.get("alertname"), problems, f"`alertname` of {what}")
    match = read_match(fields.get("match"), what, ctx)
    severity = _severity(fields.get("severity"), what, ctx)
    summary = read_optional_text(fields.get("summary"), problems, f"`summary` of {what}")
    parts = (every, grace, escalation, alertname, match, severity)
    if any(part is None for part in parts) or every is None or grace is None:
        return None
    return Heartbeat(key, every, grace, str(escalation), str(alertname), match or (), str(severity), summary)


def _duration(node: Node | None, what: str, ctx: Context, positive: bool = False) -> timedelta | None:
    if node is None:
        return None
    return read_duration(node, ctx.problems, what, positive=positive)


def _severity(node: Node | None, what: str, ctx: Context) -> str | None:
    if node is None:
        return "SEV-2"
    text = read_text(node, ctx.problems, f"`severity` of {what}")
    if text is None:
        return None
    spelled = spell_severity(text)
    if spelled in HEARTBEAT_SEVERITIES:
        return spelled
    hint = " (SEV-4 never pages, and a silent heartbeat must)" if spelled == "SEV-4" else ""
    choices = ", ".join(HEARTBEAT_SEVERITIES)
    ctx.problems.error(node, f"`severity` of {what} must be one of {choices}, not `{text}`{hint}")
    return None


def _check_overlaps(heartbeats: dict[str, Heartbeat], keys: dict[str, Node], ctx: Context) -> None:
    """Two heartbeats that could both take one alert: an error at the later one, naming both."""
    seen: list[Heartbeat] = []
    for heartbeat in heartbeats.values():
        for earlier in seen:
            if _could_share(earlier, heartbeat):
                ctx.problems.error(
                    keys[heartbeat.key],
                    f"heartbeats `{earlier.key}` and `{heartbeat.key}` would both take the same "
                    f"`{heartbeat.alertname}` alerts; give them `match` labels that tell them apart "
                    "(e.g. `match: {cluster: seoul}`)",
                )
                break
        seen.append(heartbeat)


def _could_share(one: Heartbeat, other: Heartbeat) -> bool:
    """Some alert's labels satisfy both: the same alertname and no label with two values."""
    if one.alertname != other.alertname:
        return False
    theirs = dict(other.match)
    return all(theirs.get(label, value) == value for label, value in one.match)
