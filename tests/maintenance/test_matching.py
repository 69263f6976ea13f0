"""Which window holds an arriving alert, and what holding does to a new episode (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from oncall.alerts.holds import WindowHold, hold_episode
from oncall.alerts.plan import NewEpisode
from oncall.config.model import BusinessHours
from oncall.maintenance.matching import ACTIVE, ENDED, SCHEDULED, Window, hold_lookup

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Tuesday 11:00 KST
HOUR = timedelta(hours=1)
DB = Window("1", (("service", "db"),), NOW - HOUR, NOW + HOUR, "DB migration")
LONG_DB = Window("2", (("service", "db"), ("env", "prod")), NOW - HOUR, NOW + 3 * HOUR, "long")
EVERYTHING = Window("yaml:0", (), NOW - HOUR, NOW + 2 * HOUR, "network")
LATER = Window("3", (("service", "db"),), NOW + HOUR, NOW + 2 * HOUR, "later")
ENDED_EARLY = Window(
    "4", (("service", "db"),), NOW - HOUR, NOW + HOUR, "ended", ended_at=NOW - timedelta(minutes=1)
)
SEOUL_HOURS = BusinessHours(
    frozenset(range(5)),
    time(9),
    time(18),
    "Asia/Seoul",
)


@pytest.mark.parametrize(
    ("windows", "labels", "expected"),
    [
        ("no window", {"service": "db"}, None),
        ("every label must be equal", {"service": "db2"}, None),
        ("more labels on the alert are fine", {"service": "db", "x": "y"}, "1"),
        ("the window ending last holds it", {"service": "db", "env": "prod"}, "2"),
        ("match_all holds everything", {"team": "search"}, "yaml:0"),
        ("a window not started yet holds nothing", {"service": "db"}, None),
        ("a window ended early holds nothing", {"service": "db"}, None),
    ],
)
def test_which_window_holds_an_alert(windows, labels, expected):
    chosen = {
        "no window": [],
        "every label must be equal": [DB],
        "more labels on the alert are fine": [DB],
        "the window ending last holds it": [DB, LONG_DB],
        "match_all holds everything": [DB, EVERYTHING],
        "a window not started yet holds nothing": [LATER],
        "a window ended early holds nothing": [ENDED_EARLY],
    }[windows]
    hold = hold_lookup(chosen, NOW)(labels)
    assert (hold.window if hold else None) == expected


def test_states():
    assert [w.state(NOW) for w in (DB, LATER, ENDED_EARLY)] == [ACTIVE, SCHEDULED, ENDED]
    assert ENDED_EARLY.ends == NOW - timedelta(minutes=1) and DB.ends == DB.end


def _episode(severity: str, escalate_at: datetime | None, status: str = "triggered") -> NewEpisode:
    row = {"severity": severity, "status": status}
    return NewEpisode(row, (("received", "SEV"),), escalate_at)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severity", "escalate_at", "status", "expected_at", "held"),
    [
        ("SEV-1", NOW, "triggered", NOW + HOUR, True),  # pages when the window ends
        ("SEV-3", NOW, "triggered", NOW + HOUR, True),  # 12:00 KST: still business hours
        ("SEV-4", None, "triggered", None, False),  # never pages: marked, nothing held
        ("SEV-1", None, "resolved", None, None),  # resolved on arrival: left alone
    ],
)
def test_holding_moves_the_escalation_to_the_windows_end(severity, escalate_at, status, expected_at, held):
    window = WindowHold("1", "DB migration", NOW + HOUR)
    done = hold_episode(_episode(severity, escalate_at, status), window, SEOUL_HOURS, "Asia/Seoul")
    assert done.escalate_at == expected_at
    assert (done.hold.held if done.hold else None) == held


def test_a_sev3_held_past_business_hours_waits_for_the_next_morning():
    window = WindowHold("1", "late work", datetime(2026, 3, 3, 11, 0, tzinfo=UTC))  # 20:00 KST
    done = hold_episode(_episode("SEV-3", NOW), window, SEOUL_HOURS, "Asia/Seoul")
    assert done.escalate_at == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)  # Wednesday 09:00 KST
    assert done.timeline[-1] == (
        "maintenance",
        "In maintenance window 1 (late work) until 2026-03-03 20:00 KST: not paged",
    )
