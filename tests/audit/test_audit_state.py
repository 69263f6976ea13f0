"""The decision memory in the database: auto vs propose, undo, pin, effective severity."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from audit_builders import NOW, voted

from alertaudit import importer, state
from alertaudit.audit import build_report
from alertaudit.models import RuleDecision
from oncall.config.model import AuditorSettings

DAY = timedelta(days=1)
AUTO = AuditorSettings(mode="auto")


def audit(db, events, settings=AUTO, now=NOW):
    with db.session() as session:
        report = build_report(events, settings, now, memory=state.load_memory(session))
        applied = state.apply_decisions(session, report, settings, now)
    return report, applied


def severity(db, rule="R", base="SEV-2"):
    with db.session() as session:
        return state.effective_severity(session, rule, base)


def test_auto_mode_demotes_from_the_next_alert_on(db):
    report, applied = audit(db, voted("R", 0, 6, NOW - 2 * DAY))
    assert [(d.rule, d.action, d.from_severity, d.to_severity) for d in applied] == [
        ("R", "demote", "SEV-2", "SEV-3")
    ]
    sev, reason = severity(db)
    assert sev == "SEV-3"
    assert reason.startswith("demoted by the auditor: at most")


def test_propose_mode_records_nothing(db):
    report, applied = audit(db, voted("R", 0, 6, NOW - 2 * DAY), replace(AUTO, mode="propose"))
    assert report.rule("R").decision.action == "demote"
    assert applied == []
    assert severity(db) == ("SEV-2", None)
    with db.session() as session:
        assert state.history(session) == []


def test_a_full_cycle_demote_hold_repromote(db):
    noise = voted("R", 0, 6, NOW - 2 * DAY)
    audit(db, noise)
    # Ten days later five urgent pages were all actionable: held by hysteresis.
    later = NOW + 10 * DAY
    good = voted("R", 5, 5, NOW + 9 * DAY)
    report, applied = audit(db, noise + good, now=later)
    assert report.rule("R").decision.action == "hold"
    assert applied == []
    # Past 14 days, with five more fresh actionable pages, it re-promotes.
    good += voted("R", 5, 5, NOW + 14 * DAY)
    report, applied = audit(db, noise + good, now=NOW + 15 * DAY)
    assert [(d.action, d.to_severity) for d in applied] == [("promote", "SEV-2")]
    assert severity(db) == ("SEV-2", None)


def test_running_twice_applies_once(db):
    events = voted("R", 0, 6, NOW - 2 * DAY)
    with db.session() as session:
        report = build_report(events, AUTO, NOW, memory=state.load_memory(session))
    with db.session() as session:
        first = state.apply_decisions(session, report, AUTO, NOW)
    with db.session() as session:
        second = state.apply_decisions(session, report, AUTO, NOW)
    assert (len(first), len(second)) == (1, 0)


def test_undo_restores_and_counts_as_a_change(db):
    audit(db, voted("R", 0, 6, NOW - 2 * DAY))
    with db.session() as session:
        result = state.undo(session, "R", "kim", NOW + DAY)
        assert result.shift == 0
    assert severity(db) == ("SEV-2", None)
    # The same noise again the next day: the undo restarted the clock and the evidence.
    report, applied = audit(db, voted("R", 0, 6, NOW - 2 * DAY), now=NOW + 2 * DAY)
    assert applied == []
    with db.session() as session:
        actions = [(d.action, d.by) for d in state.history(session, "R")]
    assert actions == [("undo", "kim"), ("demote", "auditor")]


def test_undo_without_a_change_is_refused(db):
    with db.session() as session, pytest.raises(LookupError, match="nothing|no demotion"):
        state.undo(session, "R", "kim", NOW)


def test_pinned_rules_are_left_alone_until_unpinned(db):
    with db.session() as session:
        state.pin(session, "R", "lee", NOW)
    report, applied = audit(db, voted("R", 0, 6, NOW - 2 * DAY))
    assert report.rule("R").decision.action == "pinned"
    assert applied == []
    with db.session() as session:
        state.pin(session, "R", "lee", NOW, pinned=False)
    report, applied = audit(db, voted("R", 0, 6, NOW - 2 * DAY))
    assert [d.action for d in applied] == ["demote"]


def test_imported_events_are_stored_once_and_read_back(db):
    events = voted("R", 1, 3, NOW - 2 * DAY)
    with db.session() as session:
        assert importer.import_events(session, events) == (len(events), len(events))
    with db.session() as session:
        assert importer.import_events(session, events) == (len(events), 0)
    with db.session() as session:
        back = list(importer.stored_events(session, NOW - 10 * DAY, NOW))
    assert sorted(back, key=lambda e: (e.at, e.kind)) == sorted(events, key=lambda e: (e.at, e.kind))


def test_decision_rows_carry_reason_and_threshold(db):
    audit(db, voted("R", 0, 6, NOW - 2 * DAY))
    with db.session() as session:
        (row,) = session.query(RuleDecision).all()
    assert "effective pages" in row.reason
    assert row.threshold.startswith("upper")
