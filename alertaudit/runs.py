"""Each auditor run that may apply (the daily job, `audit run`, `POST /api/v1/audit/run`) leaves
one line in the decision trail, so the /audit page can say when the last audit ran and what it
did, even when it changed nothing. The line is a `RuleDecision` with action `run`: no new table,
and `state.history` (the rules' trail) leaves it out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alertaudit.models import RuleDecision
from alertaudit.report import Report
from alertaudit.runstatus import AuditRunRecord

RUN_ACTION = "run"
RUN_RULE = "(audit run)"  # not an alert rule: the run as a whole


def record_run(
    session: Session, report: Report, mode: str, applied: Sequence[RuleDecision], now: datetime
) -> AuditRunRecord:
    """Store that an audit ran at `now`: in auto mode what it applied, in propose mode what it proposed."""
    if mode == "auto":
        changes = [(d.action, d.rule) for d in applied]
    else:
        changes = [(r.decision.action, r.rule) for r in report.rules if r.decision.changes]
    record = AuditRunRecord(
        at=now,
        mode=mode,
        rules=len(report.rules),
        demoted=[rule for action, rule in changes if action == "demote"],
        promoted=[rule for action, rule in changes if action == "promote"],
    )
    summary = {"mode": mode, "rules": record.rules, "demoted": record.demoted, "promoted": record.promoted}
    session.add(
        RuleDecision(
            rule=RUN_RULE,
            at=now,
            action=RUN_ACTION,
            by="auditor",
            from_shift=0,
            to_shift=0,
            reason=json.dumps(summary),
        )
    )
    session.flush()
    return record


def last_run(session: Session) -> AuditRunRecord | None:
    """The latest recorded run, or None when no audit has run yet."""
    row = session.scalars(
        select(RuleDecision)
        .where(RuleDecision.action == RUN_ACTION, RuleDecision.rule == RUN_RULE)
        .order_by(RuleDecision.at.desc(), RuleDecision.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    summary = json.loads(row.reason or "{}")
    return AuditRunRecord(
        at=row.at,
        mode=summary.get("mode", "auto"),
        rules=int(summary.get("rules", 0)),
        demoted=list(summary.get("demoted", [])),
        promoted=list(summary.get("promoted", [])),
    )
