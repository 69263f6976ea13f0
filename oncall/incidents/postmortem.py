"""The postmortem draft in Markdown, from a plain snapshot of the incident (pure).

It follows the seed's template: title, date, severity, duration, author (the Commander),
reviewers (the other role holders), Executive Summary, the Timeline table filled from the
incident's timeline, Root Cause Analysis (5 Whys, answers left blank), Impact, What Went Well,
What Went Wrong and the Action Items table. Blameless by construction: each row says what a
system did or what a role holder did in their role ("Commander (Kim): …"), from recorded facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SUMMARY_PLACEHOLDER = (
    "_What happened and for how long, the root cause in one sentence, and the estimated impact._"
)
ROLE_ORDER = ("commander", "communications", "sme", "scribe")
ROLE_TITLES = {"commander": "Commander", "communications": "Communications", "sme": "SME", "scribe": "Scribe"}
SYSTEM = "oncall"  # the actor of what the service did by itself (pages, escalations, reminders)
MONITORING = "monitoring"  # the actor of what an alert's source did (fired, resolved)
SYSTEM_ACTORS = frozenset({SYSTEM, MONITORING})


@dataclass(frozen=True)
class Row:
    """One timeline row: when, who did it (a name, or `oncall` / `monitoring`), the kind, the text."""

    at: datetime
    actor: str
    kind: str
    text: str
    actor_key: str | None = None


@dataclass(frozen=True)
class Item:
    """One action item as the table shows it."""

    title: str
    owner: str  # display name
    due: date
    priority: str
    done: bool = False


@dataclass(frozen=True)
class Snapshot:
    """What the postmortem is written from; times are aware, `timezone` is where it is read."""

    number: str
    title: str
    severity: str
    declared_at: datetime
    timezone: str
    summary: str | None = None
    impact_started_at: datetime | None = None
    resolved_at: datetime | None = None
    roles: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # role -> (person key, name)
    timeline: Sequence[Row] = ()
    action_items: Sequence[Item] = ()


def render(snap: Snapshot) -> str:
    """The whole postmortem draft as Markdown."""
    zone = ZoneInfo(snap.timezone)
    parts = [
        _header(snap, zone),
        _section("Executive Summary", (snap.summary or "").strip() or SUMMARY_PLACEHOLDER),
        _section("Timeline", _timeline_table(snap, zone)),
        _section("Root Cause Analysis (5 Whys)", FIVE_WHYS),
        _section("Impact", IMPACT),
        _section("What Went Well", "1. \n2. \n3. "),
        _section("What Went Wrong", "1. \n2. \n3. "),
        _section("Action Items", _items_table(snap.action_items)),
    ]
    return "\n---\n\n".join(parts).rstrip() + "\n"


FIVE_WHYS = (
    "\n\n".join(
        f"**Q: {question}**\nA: "
        for question in (
            "Why did the incident happen?",
            "Why did that happen?",
            "Why did that happen?",
            "Why did that happen?",
            "Why did that happen?",
        )
    )
    + "\n\n**Root cause**: "
)

IMPACT = "- **Users**: \n- **Revenue**: \n- **Support tickets**: "


def _header(snap: Snapshot, zone: ZoneInfo) -> str:
    start = snap.impact_started_at or snap.declared_at
    roles = dict(snap.roles)
    author = roles.get("commander", (None, "—"))[1]
    reviewers = []
    for role in ROLE_ORDER[1:]:
        name = roles.get(role, (None, None))[1]
        if name and name != author and name not in reviewers:
            reviewers.append(name)
    lines = [
        f"# Postmortem: {_inline(snap.title)}",
        "",
        f"**Date**: {start.astimezone(zone):%Y-%m-%d}",
        f"**Severity**: {snap.severity}",
        f"**Duration**: {duration_text(start, snap.resolved_at, zone)}",
        f"**Author**: {author}",
        f"**Reviewers**: {', '.join(reviewers) or '—'}",
    ]
    return "\n".join(lines) + "\n"


def duration_text(start: datetime, end: datetime | None, zone: ZoneInfo) -> str:
    """`03:15 – 04:15 UTC (1 hour)` in `zone`; dates appear when it crosses midnight; ongoing if open."""
    local_start = start.astimezone(zone)
    if end is None:
        return f"{local_start:%H:%M} {local_start:%Z} – ongoing"
    local_end = end.astimezone(zone)
    same_day = local_start.date() == local_end.date()
    end_format = "%H:%M" if same_day else "%Y-%m-%d %H:%M"
    return f"{local_start:%H:%M} – {local_end.strftime(end_format)} {local_end:%Z} ({span_text(end - start)})"


def span_text(span: timedelta) -> str:
    """A length in words: `1 hour`, `1 hour 3 minutes`, `45 minutes`, `2 days 3 hours`."""
    minutes = max(0, round(span.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words[:2]) or "0 minutes"


def _timeline_table(snap: Snapshot, zone: ZoneInfo) -> str:
    rows = sorted(snap.timeline, key=lambda r: r.at)
    days = {r.at.astimezone(zone).date() for r in rows}
    time_format = "%H:%M" if len(days) <= 1 else "%m-%d %H:%M"
    abbreviation = (snap.impact_started_at or snap.declared_at).astimezone(zone).strftime("%Z")
    holders = {key: role for role, (key, _) in reversed(list(snap.roles.items()))}
    lines = [f"| Time ({abbreviation}) | Event |", "|------------|-------|"]
    for row in rows:
        lines.append(f"| {row.at.astimezone(zone).strftime(time_format)} | {cell(_event(row, holders))} |")
    if not rows:
        lines.append("|  |  |")
    return "\n".join(lines)


def _event(row: Row, holders: Mapping[str, str]) -> str:
    """The Event cell: what a system did, or what a person did in their role."""
    if row.actor in SYSTEM_ACTORS:
        return row.text
    role = holders.get(row.actor_key or "")
    label = f"{ROLE_TITLES[role]} ({row.actor})" if role else row.actor
    joiner = " " if row.kind == "declared" else ": "
    return f"{label}{joiner}{row.text}"


def _items_table(items: Sequence[Item]) -> str:
    lines = ["| Item | Owner | Due | Priority |", "|------|-------|-----|----------|"]
    for item in sorted(items, key=lambda i: (i.priority, i.due)):
        title = f"~~{item.title}~~ (done)" if item.done else item.title
        lines.append(f"| {cell(title)} | {cell(item.owner)} | {item.due:%Y-%m-%d} | {item.priority} |")
    if not items:
        lines.append("|  |  |  |  |")
    return "\n".join(lines)


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks as spaces."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _inline(text: str) -> str:
    return " ".join(text.split())


def _section(title: str, body: str) -> str:
    return f"## {title}\n\n{body.rstrip()}\n"
