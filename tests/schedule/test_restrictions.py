"""Restricted hours: weekly wall-clock windows, across midnight, the week's end and DST."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oncall.schedule import shifts_between
from oncall.schedule.formatting import kind_text
from oncall.schedule.restrict import open_windows
from tests.schedule.schedule_builders import config, daily_windows, local, pieces, rotation, window, z

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"

# (id, zone, window, range start, range end (UTC), expected open spans (UTC))
WINDOWS = [
    (
        "New York spring forward: 01:30-03:00 lasts 30 minutes",
        NEW_YORK,
        window("sun 01:30", "sun 03:00"),
        "2026-03-08 00:00",
        "2026-03-09 00:00",
        [("2026-03-08 06:30", "2026-03-08 07:00")],
    ),
    (
        "New York spring forward: a window inside the skipped hour never opens",
        NEW_YORK,
        window("sun 02:10", "sun 02:50"),
        "2026-03-08 00:00",
        "2026-03-09 00:00",
        [],
    ),
    (
        "New York fall back: 00:00-02:00 lasts 3 hours",
        NEW_YORK,
        window("sun 00:00", "sun 02:00"),
        "2026-11-01 00:00",
        "2026-11-02 00:00",
        [("2026-11-01 04:00", "2026-11-01 07:00")],
    ),
    (
        "New York fall back: a repeated 01:30 opens at its first occurrence",
        NEW_YORK,
        window("sun 01:30", "sun 04:00"),
        "2026-11-01 00:00",
        "2026-11-02 00:00",
        [("2026-11-01 05:30", "2026-11-01 09:00")],
    ),
    (
        "Berlin spring forward: a skipped 02:30 opens when the clocks reach 03:00",
        BERLIN,
        window("sun 02:30", "sun 05:00"),
        "2026-03-29 00:00",
        "2026-03-30 00:00",
        [("2026-03-29 01:00", "2026-03-29 03:00")],
    ),
    (
        "Berlin fall back: 02:30-03:30 lasts 2 hours",
        BERLIN,
        window("sun 02:30", "sun 03:30"),
        "2026-10-25 00:00",
        "2026-10-26 00:00",
        [("2026-10-25 00:30", "2026-10-25 02:30")],
    ),
    (
        "across the week's end, joined with the Monday window it touches",
        BERLIN,
        (window("sat 10:00", "mon 08:00"), window("mon 08:00", "mon 17:00")),
        "2026-01-11 12:00",
        "2026-01-12 13:00",
        [("2026-01-10 09:00", "2026-01-12 16:00")],
    ),
    (
        "across midnight on each listed day",
        NEW_YORK,
        daily_windows("mon-tue", "22:00", "06:00"),
        "2026-01-05 00:00",
        "2026-01-08 00:00",
        [("2026-01-06 03:00", "2026-01-06 11:00"), ("2026-01-07 03:00", "2026-01-07 11:00")],
    ),
]


@pytest.mark.parametrize(
    ("case", "tz", "windows", "start", "end", "expected"), WINDOWS, ids=[w[0] for w in WINDOWS]
)
def test_windows_keep_their_wall_clock_ends(case, tz, windows, start, end, expected):
    windows = windows if isinstance(windows, tuple) else (windows,)
    assert open_windows(windows, tz, z(start), z(end)) == [(z(a), z(b)) for a, b in expected]


def test_only_the_weeks_around_the_range_are_computed():
    far = open_windows(
        daily_windows("mon-fri", "09:00", "17:00"), NEW_YORK, z("2036-03-03 00:00"), z("2036-03-04 00:00")
    )
    assert far[0][0] >= z("2036-02-10 00:00") and len(far) <= 20


def test_a_window_across_midnight_masks_the_daily_turns():
    ops = rotation(
        "ops",
        kind="daily",
        handoff="09:00",
        team=("kim", "lee"),
        restrict=daily_windows("mon", "22:00", "06:00"),
    )
    got = shifts_between(config(ops), "ops", local("2026-03-02 09:00"), local("2026-03-03 12:00"))
    assert pieces(got) == [
        (None, z("2026-03-02 14:00"), z("2026-03-03 03:00"), "gap", None),
        ("kim", z("2026-03-03 03:00"), z("2026-03-03 11:00"), "regular", None),
        (None, z("2026-03-03 11:00"), z("2026-03-03 14:00"), "gap", None),
        (None, z("2026-03-03 14:00"), z("2026-03-03 17:00"), "gap", None),
    ]
    assert kind_text(got[0], {}) == "gap, outside the restricted hours"


def test_a_weekend_window_across_the_weeks_end_and_spring_forward():
    # Sat 10:00 EST to Mon 08:00 EDT: 46 hours on the wall clock, 45 real ones.
    ops = rotation(
        "ops", handoff="mon 09:00", team=("kim", "lee"), restrict=(window("sat 10:00", "mon 08:00"),)
    )
    got = shifts_between(config(ops), "ops", local("2026-03-07 00:00"), local("2026-03-09 12:00"))
    assert pieces(got) == [
        (None, z("2026-03-07 05:00"), z("2026-03-07 15:00"), "gap", None),
        ("kim", z("2026-03-07 15:00"), z("2026-03-09 12:00"), "regular", None),
        (None, z("2026-03-09 12:00"), z("2026-03-09 13:00"), "gap", None),
        (None, z("2026-03-09 13:00"), z("2026-03-09 16:00"), "gap", None),
    ]
    assert got[1].duration == timedelta(hours=45)


def test_the_turn_sequence_runs_on_underneath_the_restriction():
    # Weekday hours only: the weekend is masked but still belongs to Lee's turn (the second
    # week), and Kim's next turn begins at Monday's handoff, as without the restriction.
    ops = rotation(
        "ops",
        handoff="mon 09:00",
        team=("kim", "lee"),
        start=date(2026, 3, 2),
        restrict=daily_windows("mon-fri", "09:00", "17:00"),
    )
    got = shifts_between(config(ops), "ops", local("2026-03-13 12:00"), local("2026-03-16 12:00"))
    people = [(p.person, p.start) for p in got if p.person]
    assert people == [("lee", z("2026-03-13 16:00")), ("kim", z("2026-03-16 13:00"))]
