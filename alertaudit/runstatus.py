"""What the /audit page says about the auditor's runs: when the last one ran and what it did,
and when the next one runs. Plain data, no database (`alertaudit.runs` stores and reads it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAILY_AT = time(6, 0)  # the daily run, in the team's time zone (alertaudit.jobs.schedule_daily)


@dataclass(frozen=True)
class AuditRunRecord:
    """One recorded run: when, in which mode, and the rules it demoted/promoted (auto mode) or
    proposed to (propose mode)."""

    at: datetime
    mode: str
    rules: int
    demoted: list[str] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)


def next_daily_run(now: datetime, timezone: str, at: time = DAILY_AT) -> datetime:
    """The first daily run after `now`: `at` on the team's wall clock, across DST (aware UTC)."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(ZoneInfo("UTC"))
