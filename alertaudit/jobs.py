"""The daily auditor run on the service's APScheduler (docs/auditor.md: daily and on demand)."""

from __future__ import annotations

import logging
from typing import Any

from alertaudit.flows import AuditContext, run_audit
from alertaudit.runstatus import DAILY_AT

JOB_ID = "alertaudit-daily"
log = logging.getLogger(__name__)


def audit_job(runtime: AuditContext) -> None:
    """One auditor run: score, and in auto mode apply; logs what changed."""
    run = run_audit(runtime, apply=True)
    for change in run.applied:
        log.info(
            "auditor %s %s: %s -> %s (%s)",
            change.action,
            change.rule,
            change.from_severity,
            change.to_severity,
            change.threshold,
        )
    log.info(
        "auditor scored %d rules from %d events",
        len(run.report.rules),
        run.report.events,
    )


def schedule_daily(
    scheduler: Any, runtime: AuditContext, *, hour: int = DAILY_AT.hour, minute: int = DAILY_AT.minute
) -> None:
    """Add the daily run to an APScheduler 3 scheduler (in-memory job store: `runtime` is
    passed as is). Safe on several instances: applying a decision locks the rule's row and
    only applies when the rule is still in the state the report was computed from."""
    scheduler.add_job(
        audit_job,
        trigger="cron",
        hour=hour,
        minute=minute,
        timezone=runtime.config.timezone,  # 06:00 where the team lives, across DST
        args=[runtime],
        id=JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
