"""The auditor's runs with side effects: read history, build the report, apply in auto mode.

Shared by the CLI, the daily job and (through the lead's web route) `/audit`. `services` is
`oncall.services.Services` (or anything with `.db`, `.clock`, `.config`, `.extras`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alertaudit import importer, state
from alertaudit.audit import build_report
from alertaudit.events import AlertEvent
from alertaudit.models import RuleDecision
from alertaudit.report import Report
from oncall import timeargs

HistorySource = Callable[[datetime, datetime], Iterable[AlertEvent]]


@dataclass
class AuditRun:
    report: Report
    applied: list[RuleDecision] = field(default_factory=list)


def parse_since(text: str, now: datetime) -> datetime:
    """`30d`, `12h`, `2w` before `now`, or an ISO date/time (UTC when it has no offset).

    At most ten years back; a `TimeArgError` (a ValueError naming `--since`) otherwise.
    """
    return timeargs.parse_since(text, now=now)


def run_audit(
    services: Any,
    since: datetime | None = None,
    apply: bool = False,
    shifts: Mapping[str, Sequence[tuple[datetime, datetime]]] | None = None,
) -> AuditRun:
    """Build the report from the history source; with `apply`, record decisions (auto mode).

    The history comes from `services.extras["audit_history"]` (a `(since, until) -> events`
    callable over the alerts database) when present, else from events stored by `audit import`.
    """
    config = services.config
    settings = config.auditor
    now = services.clock.now()
    since = since if since is not None else now - settings.window
    source: HistorySource | None = services.extras.get("audit_history")
    with services.db.session() as session:
        memory = state.load_memory(session)
        if source is not None:
            events = source(since, now)
        else:
            events = importer.stored_events(session, since, now)
        report = build_report(
            events,
            settings,
            now,
            since=since,
            memory=memory,
            business_hours=config.business_hours,
            severity_map=config.severity,
            shifts=shifts,
        )
        applied = state.apply_decisions(session, report, settings, now) if apply else []
    # Whoever ran it (API, web page, CLI, the daily job), the report reaches the observers, e.g.
    # the per-rule score gauges.
    for observe in services.extras.get("audit_observers", []):
        observe(report)
    return AuditRun(report, applied)
