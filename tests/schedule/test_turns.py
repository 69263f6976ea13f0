"""Regular turns: handoffs at local wall-clock time, across every kind of DST change."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from schedule_builders import config, rotation, z

import oncall.schedule.turns as turns_module
from oncall.schedule import on_call_at, regular_turns, turn_index_at
from oncall.wallclock import resolve_wall, zone

H = timedelta(hours=1)

# (id, rotation, query start, query end, expected [(person, start UTC, end UTC, hours)])
TURN_CASES = [
    (
        "weekly mon 10:00 across US spring-forward (2026-03-08): 167h",
        rotation(),
        z("2026-03-02 15:00"),
        z("2026-03-16 00:00"),
        [
            ("kim", z("2026-03-02 15:00"), z("2026-03-09 14:00"), 167),
            ("lee", z("2026-03-09 14:00"), z("2026-03-16 14:00"), 168),
        ],
    ),
    (
        "weekly mon 10:00 across US fall-back (2026-11-01): 169h",
        rotation(),
        z("2026-10-27 00:00"),
        z("2026-11-03 00:00"),
        [
            ("lee", z("2026-10-26 14:00"), z("2026-11-02 15:00"), 169),
            ("park", z("2026-11-02 15:00"), z("2026-11-09 15:00"), 168),
        ],
    ),
    (
        "daily 02:30 Berlin on spring-forward day moves to 03:00 CEST",
        rotation(
            kind="daily",
            handoff="02:30",
            start=date(2026, 3, 27),
            team=("a", "b"),
            tz="Europe/Berlin",
        ),
        z("2026-03-27 01:30"),
        z("2026-03-30 00:30"),
        [
            ("a", z("2026-03-27 01:30"), z("2026-03-28 01:30"), 24),
            ("b", z("2026-03-28 01:30"), z("2026-03-29 01:00"), 23.5),
            ("a", z("2026-03-29 01:00"), z("2026-03-30 00:30"), 23.5),
        ],
    ),
    (
        "daily 10:00 Lord Howe as its 30-minute DST ends (2026-04-05): 24.5h",
        rotation(
            kind="daily",
            handoff="10:00",
            start=date(2026, 4, 3),
            team=("a", "b"),
            tz="Australia/Lord_Howe",
        ),
        z("2026-04-02 23:00"),
        z("2026-04-05 23:30"),
        [
            ("a", z("2026-04-02 23:00"), z("2026-04-03 23:00"), 24),
            ("b", z("2026-04-03 23:00"), z("2026-04-04 23:30"), 24.5),
            ("a", z("2026-04-04 23:30"), z("2026-04-05 23:30"), 24),
        ],
    ),
    (
        "daily 10:00 Lord Howe as its 30-minute DST begins (2026-10-04): 23.5h",
        rotation(
            kind="daily",
            handoff="10:00",
            start=date(2026, 10, 2),
            team=("a", "b"),
            tz="Australia/Lord_Howe",
        ),
        z("2026-10-01 23:30"),
        z("2026-10-04 23:00"),
        [
            ("a", z("2026-10-01 23:30"), z("2026-10-02 23:30"), 24),
            ("b", z("2026-10-02 23:30"), z("2026-10-03 23:00"), 23.5),
            ("a", z("2026-10-03 23:00"), z("2026-10-04 23:00"), 24),
        ],
    ),
    (
        "daily 01:30 New York in the repeated hour takes the first 01:30 (EDT)",
        rotation(kind="daily", handoff="01:30", start=date(2026, 10, 31), team=("a", "b")),
        z("2026-10-31 05:30"),
        z("2026-11-02 06:30"),
        [
            ("a", z("2026-10-31 05:30"), z("2026-11-01 05:30"), 24),
            ("b", z("2026-11-01 05:30"), z("2026-11-02 06:30"), 25),
        ],
    ),
    (
        "every 12h at 09:00 and 21:00 local across US spring-forward",
        rotation(
            kind="every",
            handoff="09:00",
            start=date(2026, 3, 7),
            team=("a", "b"),
            every=12 * H,
        ),
        z("2026-03-07 14:00"),
        z("2026-03-09 01:00"),
        [
            ("a", z("2026-03-07 14:00"), z("2026-03-08 02:00"), 12),
            ("b", z("2026-03-08 02:00"), z("2026-03-08 13:00"), 11),
            ("a", z("2026-03-08 13:00"), z("2026-03-09 01:00"), 12),
        ],
    ),
    (
        "every 2w from a Wednesday start: every second Monday 10:00",
        rotation(
            kind="every",
            handoff="mon 10:00",
            start=date(2026, 3, 4),
            team=("a", "b", "c"),
            every=timedelta(weeks=2),
        ),
        z("2026-03-01 00:00"),
        z("2026-04-20 00:00"),
        [
            ("a", z("2026-03-09 14:00"), z("2026-03-23 14:00"), 336),
            ("b", z("2026-03-23 14:00"), z("2026-04-06 14:00"), 336),
            ("c", z("2026-04-06 14:00"), z("2026-04-20 14:00"), 336),
        ],
    ),
    (
        "weekly returns whole turns overlapping a short window",
        rotation(),
        z("2026-03-09 13:00"),
        z("2026-03-09 15:00"),
        [
            ("kim", z("2026-03-02 15:00"), z("2026-03-09 14:00"), 167),
            ("lee", z("2026-03-09 14:00"), z("2026-03-16 14:00"), 168),
        ],
    ),
    (
        "nothing before the first turn",
        rotation(start=date(2026, 3, 16)),
        z("2026-03-01 00:00"),
        z("2026-03-16 13:59"),
        [],
    ),
]


@pytest.mark.parametrize(
    ("rot", "start", "end", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in TURN_CASES],
)
def test_regular_turns_hand_off_at_local_wall_clock_time(rot, start, end, expected):
    turns = regular_turns(rot, start, end)
    assert [(t.person, t.start, t.end, t.duration / H) for t in turns] == expected
    assert all(t.kind == "regular" and t.slot_start == t.start for t in turns)


# (id, naive local time, zone, expected UTC instant)
WALL_CASES = [
    (
        "ordinary time",
        datetime(2026, 3, 2, 10, 0),
        "America/New_York",
        z("2026-03-02 15:00"),
    ),
    (
        "Berlin skipped 02:30",
        datetime(2026, 3, 29, 2, 30),
        "Europe/Berlin",
        z("2026-03-29 01:00"),
    ),
    (
        "Berlin skipped 02:00",
        datetime(2026, 3, 29, 2, 0),
        "Europe/Berlin",
        z("2026-03-29 01:00"),
    ),
    (
        "Berlin first valid 03:00",
        datetime(2026, 3, 29, 3, 0),
        "Europe/Berlin",
        z("2026-03-29 01:00"),
    ),
    (
        "New York repeated 01:30 is EDT",
        datetime(2026, 11, 1, 1, 30),
        "America/New_York",
        z("2026-11-01 05:30"),
    ),
    (
        "Lord Howe skipped 02:15",
        datetime(2026, 10, 4, 2, 15),
        "Australia/Lord_Howe",
        z("2026-10-03 15:30"),
    ),
    (
        "Lord Howe repeated 01:45 is the first",
        datetime(2026, 4, 5, 1, 45),
        "Australia/Lord_Howe",
        z("2026-04-04 14:45"),
    ),
]


@pytest.mark.parametrize(("wall", "tz", "expected"), [pytest.param(*c[1:], id=c[0]) for c in WALL_CASES])
def test_resolve_wall_picks_the_first_instant_after_a_gap_and_the_first_of_a_repeat(wall, tz, expected):
    assert resolve_wall(wall, zone(tz)) == expected


def test_a_query_ten_years_out_is_computed_directly_not_iterated(monkeypatch):
    calls = []
    real = turns_module.resolve_wall

    def counting(wall, tz):
        calls.append(wall)
        return real(wall, tz)

    monkeypatch.setattr(turns_module, "resolve_wall", counting)
    cfg = config(rotation())

    shift = on_call_at(cfg, "payments", z("2036-03-05 12:00"))

    # 2036-03-03 is Monday number 522 after 2026-03-02; 522 % 3 == 0, so Kim; US DST
    # starts 2036-03-09, so this turn is 167 hours long.
    assert (shift.person, shift.start, shift.end) == (
        "kim",
        z("2036-03-03 15:00"),
        z("2036-03-10 14:00"),
    )
    assert len(calls) < 25, f"{len(calls)} handoffs resolved: iterating turn by turn?"


@pytest.mark.parametrize(
    ("at", "expected_index"),
    [
        pytest.param(z("2026-03-02 14:59"), -1, id="a minute before the first handoff"),
        pytest.param(z("2026-03-02 15:00"), 0, id="exactly at the first handoff"),
        pytest.param(z("2026-03-09 13:59"), 0, id="last minute of a 167h turn"),
        pytest.param(z("2026-03-09 14:00"), 1, id="handoff after spring-forward"),
        pytest.param(z("2026-11-02 14:59"), 34, id="last minute of a 169h turn"),
        pytest.param(z("2026-11-02 15:00"), 35, id="handoff after fall-back"),
    ],
)
def test_turn_index_at_boundaries(at, expected_index):
    assert turn_index_at(rotation(), at) == expected_index


def test_daily_turn_index_in_a_repeated_hour_counts_real_time():
    rot = rotation(kind="daily", handoff="01:30", start=date(2026, 10, 31), team=("a", "b"))
    # 01:40 EST on 2026-11-01 (the second 01:40) is after that day's 01:30 EDT handoff.
    assert turn_index_at(rot, z("2026-11-01 06:40")) == 1
    assert turn_index_at(rot, z("2026-11-01 05:20")) == 0
