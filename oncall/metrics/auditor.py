"""The auditor's per-rule scores as gauges, set after every audit run (on every `AuditCompleted` event)."""

from __future__ import annotations

from typing import Any

from oncall.metrics import registry as m


def set_rule_scores(report: Any) -> None:
    """Export every rule of an `alertaudit.report.Report`: score, its lower bound, noise per week.

    Rules no longer in the report are dropped (in multiprocess mode a dropped rule keeps its
    last value in the worker files until the service restarts).
    """
    for gauge in (m.RULE_SCORE, m.RULE_SCORE_LOWER, m.RULE_NON_ACTIONABLE_PER_WEEK):
        gauge.clear()
    for rule in report.rules:
        m.RULE_SCORE.labels(rule=rule.rule).set(rule.score.mean)
        m.RULE_SCORE_LOWER.labels(rule=rule.rule).set(rule.score.lower)
        m.RULE_NON_ACTIONABLE_PER_WEEK.labels(rule=rule.rule).set(rule.non_actionable_per_week)
