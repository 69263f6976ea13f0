"""Each applying run is remembered (for the /audit page) without entering the rules' trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from audit_builders import NOW, voted

from alertaudit import runs, state
from alertaudit.audit import build_report
from alertaudit.runstatus import next_daily_run
from oncall.config.model import AuditorSettings

AUTO = AuditorSettings(mode="auto")
DAY = timedelta(days=1)


def run(db, events, settings=AUTO):
    with db.session() as session:
        report = build_report(events, settings, NOW, memory=state.load_memory(session))
        applied = state.apply_decisions(session, report, settings, NOW)
        runs.record_run(session, report, settings.mode, applied, NOW)


def test_no_run_recorded_means_none_ran(db):
    with db.session() as session:
        assert runs.last_run(session) is None


def test_a_run_is_remembered_but_is_not_a_change_of_a_rule(db):
    run(db, voted("R", 0, 6, NOW - 2 * DAY))
    with db.session() as session:
        last = runs.last_run(session)
        assert (last.at, last.mode, last.demoted, last.promoted) == (NOW, "auto", ["R"], [])
        assert [d.action for d in state.history(session)] == ["demote"]


def test_a_propose_run_remembers_what_it_proposed(db):
    run(db, voted("R", 0, 6, NOW - 2 * DAY), replace(AUTO, mode="propose"))
    with db.session() as session:
        last = runs.last_run(session)
        assert (last.mode, last.demoted) == ("propose", ["R"])
        assert state.history(session) == []


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        ("2026-03-03T02:00Z", "Asia/Seoul", "2026-03-03T21:00Z"),  # 11:00 KST: tomorrow 06:00
        ("2026-03-02T20:00Z", "Asia/Seoul", "2026-03-02T21:00Z"),  # 05:00 KST: today 06:00
        ("2026-03-07T12:00Z", "America/New_York", "2026-03-08T10:00Z"),  # 06:00 EDT after spring-forward
    ],
)
def test_the_next_daily_run_is_six_in_the_morning_where_the_team_lives(now, zone, expected):
    at = next_daily_run(datetime.fromisoformat(now), zone)
    assert at == datetime.fromisoformat(expected).astimezone(UTC)
