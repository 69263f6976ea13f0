"""The auditor's runs with side effects: read history, build the report, apply in auto mode.

Shared by the CLI, the daily job and the web's `/api/v1/audit` routes, which all hand it the
same runtime (`oncall.runtime.Runtime`), so they all read the same history and decide alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from alertaudit import runs, state
from alertaudit.audit import build_report
from alertaudit.events import AlertEvent
from alertaudit.models import RuleDecision
from alertaudit.report import Report
from oncall import timeargs
from oncall.context import FlowContext
from oncall.events import AuditCompleted

HistorySource = Callable[[datetime, datetime], Iterable[AlertEvent]]


class AuditContext(FlowContext, Protocol):
    """What an audit run needs from the runtime."""

    @property
    def audit_history(self) -> HistorySource: ...


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
    runtime: AuditContext,
    since: datetime | None = None,
    apply: bool = False,
    shifts: Mapping[str, Sequence[tuple[datetime, datetime]]] | None = None,
) -> AuditRun:
    """Build the report from the history source; with `apply`, record decisions (auto mode).

    The history is the runtime's `audit_history`: the alerts that came through the service
    and the events stored by `audit import`. An `AuditCompleted` is published afterwards.
    """
    config = runtime.config
    settings = config.auditor
    now = runtime.clock.now()
    since = since if since is not None else now - settings.window
    with runtime.db.session() as session:
        memory = state.load_memory(session)
        events = runtime.audit_history(since, now)
        sample = getattr(events, "sample", False)
        if sample:  # the demo's generated history only ever proposes: nothing real is changed
            settings = replace(settings, mode="propose")
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
        report.sample = sample
        applied = state.apply_decisions(session, report, settings, now) if apply else []
        if apply:  # what the /audit page says: when the last audit ran and what it did
            runs.record_run(session, report, settings.mode, applied, now)
    # Whoever ran it (API, web page, CLI, the daily job), the report reaches the subscribers,
    # e.g. the per-rule score gauges.
    runtime.events.publish(AuditCompleted(report, applied=len(applied)))
    return AuditRun(report, applied)
