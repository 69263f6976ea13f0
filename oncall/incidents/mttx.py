"""MTTD, MTTA, MTTM and MTTR exactly as the seed defines them (pure arithmetic).

    MTTD  impact start      → first alert firing   (only when the impact start is known)
    MTTA  first alert firing → Commander assigned
    MTTM  Commander assigned → first Monitoring     (the temporary fix in place)
    MTTR  Commander assigned → Resolved

Each is a mean over the incidents that have both moments; None when none has.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

MEASURES = ("mttd", "mtta", "mttm", "mttr")
NO_TEAM = "none"


@dataclass(frozen=True)
class Moments:
    """The instants of one incident that the four measures are taken between."""

    severity: str
    team: str | None
    impact_started_at: datetime | None
    first_alert_at: datetime | None
    commander_assigned_at: datetime | None
    first_monitoring_at: datetime | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class IncidentMeasured:
    """One measure of one incident became known (published after its transaction commits)."""

    measure: str  # mttd | mtta | mttm | mttr
    severity: str
    team: str
    seconds: float


def between(start: datetime | None, end: datetime | None) -> float | None:
    """Seconds from `start` to `end` (never negative); None unless both are known."""
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def measures(m: Moments) -> dict[str, float | None]:
    """The four measures of one incident, in seconds (None where a moment is missing)."""
    return {
        "mttd": between(m.impact_started_at, m.first_alert_at),
        "mtta": between(m.first_alert_at, m.commander_assigned_at),
        "mttm": between(m.commander_assigned_at, m.first_monitoring_at),
        "mttr": between(m.commander_assigned_at, m.resolved_at),
    }


def group_summary(incidents: Iterable[Moments]) -> dict[str, float | int | None]:
    """`count` and the mean of each measure (`mttd_seconds` …) over `incidents`."""
    samples: dict[str, list[float]] = {name: [] for name in MEASURES}
    count = 0
    for moments in incidents:
        count += 1
        for name, value in measures(moments).items():
            if value is not None:
                samples[name].append(value)
    summary: dict[str, float | int | None] = {"count": count}
    for name in MEASURES:
        values = samples[name]
        summary[f"{name}_seconds"] = sum(values) / len(values) if values else None
    return summary


def summarize(incidents: Iterable[Moments]) -> dict[str, dict]:
    """`{"overall": {...}, "by_severity": {"SEV-1": {...}}, "by_team": {"payments": {...}}}`."""
    everything = list(incidents)
    by_severity: dict[str, list[Moments]] = defaultdict(list)
    by_team: dict[str, list[Moments]] = defaultdict(list)
    for moments in everything:
        by_severity[moments.severity].append(moments)
        by_team[moments.team or NO_TEAM].append(moments)
    return {
        "overall": group_summary(everything),
        "by_severity": {key: group_summary(group) for key, group in sorted(by_severity.items())},
        "by_team": {key: group_summary(group) for key, group in sorted(by_team.items())},
    }
