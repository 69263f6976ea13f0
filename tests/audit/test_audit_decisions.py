"""Decisions with hysteresis, on whole histories through build_report (docs/auditor.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from audit_builders import MIN, NOW, episode, voted

from alertaudit.audit import build_report
from alertaudit.decide import RuleMemory
from oncall.config.model import AuditorSettings

DAY = timedelta(days=1)
SETTINGS = AuditorSettings(mode="auto", exempt=("Watchdog",))


def decide_one(events, memory=None, settings=SETTINGS, rule="R"):
    report = build_report(events, settings, NOW, memory={rule: memory} if memory else None)
    return report.rule(rule)


@pytest.mark.parametrize(
    ("actionable", "total", "severity", "action", "to_severity"),
    [
        pytest.param(0, 6, "page", "demote", "SEV-3", id="0 of 6 demotes a page to business hours"),
        pytest.param(2, 10, "page", "keep", "SEV-2", id="2 of 10 does not demote"),
        pytest.param(9, 12, "page", "keep", "SEV-2", id="9 of 12 keeps"),
        pytest.param(0, 4, "page", "keep", "SEV-2", id="0 of 4 is too little evidence"),
        pytest.param(0, 6, "critical", "demote", "SEV-3", id="SEV-1 demotes to SEV-3"),
        pytest.param(0, 6, "warning", "demote", "SEV-4", id="SEV-3 demotes to SEV-4"),
        pytest.param(0, 6, "info", "keep", "SEV-4", id="SEV-4 has nowhere to go"),
    ],
)
def test_demotion_thresholds(actionable, total, severity, action, to_severity):
    events = voted("R", actionable, total, NOW - 2 * DAY, severity=severity)
    rule = decide_one(events)
    assert rule.counts.pages == total
    assert rule.decision.action == action
    assert rule.decision.to_severity == to_severity


def test_demotion_names_the_threshold_that_triggered_it():
    rule = decide_one(voted("R", 0, 6, NOW - 2 * DAY))
    assert rule.decision.threshold.startswith("upper 0.4")
    assert "< 0.5" in rule.decision.threshold
    assert ">= 5 effective pages" in rule.decision.threshold


def test_old_pages_decay_below_the_minimum_evidence():
    # Six noise pages 60 days ago weigh 1.5 pages: not enough to demote.
    rule = decide_one(voted("R", 0, 6, NOW - 60 * DAY))
    assert rule.score.effective_pages == pytest.approx(1.5, rel=0.02)
    assert rule.decision.action == "keep"


def demoted(days_ago: float) -> RuleMemory:
    return RuleMemory(shift=1, changed_at=NOW - timedelta(days=days_ago), base_severity="SEV-2")


@pytest.mark.parametrize(
    ("outcomes", "memory", "action"),
    [
        pytest.param(5, demoted(15), "promote", id="5 actionable after the demotion re-promote"),
        pytest.param(4, demoted(15), "keep", id="4 actionable are not yet enough"),
        pytest.param(5, demoted(10), "hold", id="hysteresis: no flip inside 14 days"),
        pytest.param(5, replace(demoted(15), pinned=True), "pinned", id="a pinned rule stays"),
    ],
)
def test_repromotion_uses_evidence_since_the_demotion(outcomes, memory, action):
    # The noise that caused the demotion is older than the change and must not count.
    before = voted("R", 0, 8, NOW - 20 * DAY)
    after = voted("R", outcomes, outcomes, NOW - 2 * DAY)
    rule = decide_one(before + after, memory)
    assert rule.current_severity == "SEV-3"
    assert rule.decision.action == action
    if action == "promote":
        assert rule.decision.to_severity == "SEV-2"
        assert rule.score.lower >= 0.7
    if action != "pinned":
        assert rule.scored_since == memory.changed_at


def test_hysteresis_blocks_a_demotion_right_after_an_undo():
    memory = RuleMemory(shift=0, changed_at=NOW - 3 * DAY)
    rule = decide_one(voted("R", 0, 8, NOW - 2 * DAY), memory)
    assert rule.decision.action == "hold"
    assert "< 14 days since the last change" in rule.decision.threshold


@pytest.mark.parametrize(
    "memory",
    [
        pytest.param(None, id="fresh"),
        pytest.param(demoted(30), id="even when remembered as demoted"),
    ],
)
def test_exempt_rules_never_change(memory):
    events = voted("Watchdog", 0, 30, NOW - 3 * DAY)
    rule = decide_one(events, memory, rule="Watchdog")
    assert rule.decision.action == "exempt"
    assert rule.decision.from_severity == rule.decision.to_severity
    assert rule.tune is None


def test_thresholds_are_configurable():
    strict = replace(SETTINGS, demote_min_pages=10.0)
    assert decide_one(voted("R", 0, 6, NOW - 2 * DAY), settings=strict).decision.action == "keep"
    lenient = replace(SETTINGS, demote_upper_below=0.6)
    assert decide_one(voted("R", 2, 10, NOW - 2 * DAY), settings=lenient).decision.action == "demote"


def test_tune_suggests_a_for_duration_from_transient_episodes():
    events = []
    for i in range(10):  # auto-resolved after 3 minutes, nobody acked: transient noise
        events += episode("R", f"t{i}", NOW - 2 * DAY + i * 3 * 60 * MIN, resolve_after=3 * MIN)
    for i in range(3):  # real problems, acked and worked on
        events += episode(
            "R", f"a{i}", NOW - 3 * DAY + i * 3 * 60 * MIN, ack_after=2 * MIN, resolve_after=40 * MIN
        )
    rule = decide_one(events)
    assert rule.counts.transient == 10
    assert rule.tune is not None
    assert "transient or flapping" in rule.tune.reason
    assert rule.tune.proposed_for == "5m"
    assert rule.tune.silenced == 10
    assert rule.tune.delayed == 3


def test_no_tune_for_a_clean_rule():
    rule = decide_one(voted("R", 6, 6, NOW - 2 * DAY))
    assert rule.tune is None
