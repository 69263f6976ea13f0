"""The final schedule: regular turns, time off covered, overrides, gaps."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from schedule_builders import away, config, override, person, pieces, rotation, z

from oncall.schedule import gaps, on_call_at, shifts_between, shifts_of_person

# Kim's first turn in the default weekly rotation (mon 10:00 New York, kim → lee → park).
KIM_0 = (z("2026-03-02 15:00"), z("2026-03-09 14:00"))
LEE_1 = (z("2026-03-09 14:00"), z("2026-03-16 14:00"))

# (id, config, query start, query end, expected pieces (person, start, end, kind, replaces))
SCHEDULE_CASES = [
    (
        "rotation starting in the future: a gap before its first turn",
        config(rotation(start=date(2026, 3, 16))),
        z("2026-03-10 00:00"),
        z("2026-03-17 00:00"),
        [
            (None, z("2026-03-10 00:00"), z("2026-03-16 14:00"), "gap", None),
            ("kim", z("2026-03-16 14:00"), z("2026-03-17 00:00"), "regular", None),
        ],
    ),
    (
        "an override inside a turn splits it in three",
        config(
            rotation(),
            overrides=(override("lee", "2026-03-04 23:00", "2026-03-05 14:00"),),
        ),
        *KIM_0,
        [
            ("kim", z("2026-03-02 15:00"), z("2026-03-04 23:00"), "regular", None),
            ("lee", z("2026-03-04 23:00"), z("2026-03-05 14:00"), "override", "kim"),
            ("kim", z("2026-03-05 14:00"), z("2026-03-09 14:00"), "regular", None),
        ],
    ),
    (
        "an override across a handoff is one piece per turn",
        config(
            rotation(),
            overrides=(override("park", "2026-03-09 12:00", "2026-03-09 18:00"),),
        ),
        z("2026-03-09 00:00"),
        z("2026-03-10 00:00"),
        [
            ("kim", z("2026-03-09 00:00"), z("2026-03-09 12:00"), "regular", None),
            ("park", z("2026-03-09 12:00"), z("2026-03-09 14:00"), "override", "kim"),
            ("park", z("2026-03-09 14:00"), z("2026-03-09 18:00"), "override", "lee"),
            ("lee", z("2026-03-09 18:00"), z("2026-03-10 00:00"), "regular", None),
        ],
    ),
    (
        "two overrides in one turn",
        config(
            rotation(),
            overrides=(
                override("lee", "2026-03-03 00:00", "2026-03-03 06:00"),
                override("park", "2026-03-04 00:00", "2026-03-04 06:00"),
            ),
        ),
        z("2026-03-03 00:00"),
        z("2026-03-05 00:00"),
        [
            ("lee", z("2026-03-03 00:00"), z("2026-03-03 06:00"), "override", "kim"),
            ("kim", z("2026-03-03 06:00"), z("2026-03-04 00:00"), "regular", None),
            ("park", z("2026-03-04 00:00"), z("2026-03-04 06:00"), "override", "kim"),
            ("kim", z("2026-03-04 06:00"), z("2026-03-05 00:00"), "regular", None),
        ],
    ),
    (
        "overlapping overrides: the later one wins where they overlap",
        config(
            rotation(),
            overrides=(
                override("lee", "2026-03-03 00:00", "2026-03-03 12:00"),
                override("park", "2026-03-03 06:00", "2026-03-03 18:00"),
            ),
        ),
        z("2026-03-03 00:00"),
        z("2026-03-04 00:00"),
        [
            ("lee", z("2026-03-03 00:00"), z("2026-03-03 06:00"), "override", "kim"),
            ("park", z("2026-03-03 06:00"), z("2026-03-03 18:00"), "override", "kim"),
            ("kim", z("2026-03-03 18:00"), z("2026-03-04 00:00"), "regular", None),
        ],
    ),
    (
        "adjacent overrides by the same person in one turn merge",
        config(
            rotation(),
            overrides=(
                override("lee", "2026-03-03 00:00", "2026-03-03 06:00"),
                override("lee", "2026-03-03 06:00", "2026-03-03 12:00"),
            ),
        ),
        z("2026-03-03 00:00"),
        z("2026-03-03 12:00"),
        [("lee", z("2026-03-03 00:00"), z("2026-03-03 12:00"), "override", "kim")],
    ),
    (
        "time off is covered by the next person in rotation order",
        config(
            rotation(),
            people=(person("kim", away("2026-03-04 00:00", "2026-03-06 00:00", "dentist")),),
        ),
        *KIM_0,
        [
            ("kim", z("2026-03-02 15:00"), z("2026-03-04 00:00"), "regular", None),
            ("lee", z("2026-03-04 00:00"), z("2026-03-06 00:00"), "cover", "kim"),
            ("kim", z("2026-03-06 00:00"), z("2026-03-09 14:00"), "regular", None),
        ],
    ),
    (
        "the one after covers when the next is away too",
        config(
            rotation(),
            people=(
                person("kim", away("2026-03-04 00:00", "2026-03-06 00:00", "dentist")),
                person("lee", away("2026-03-01 00:00", "2026-03-08 00:00", "conference")),
            ),
        ),
        *KIM_0,
        [
            ("kim", z("2026-03-02 15:00"), z("2026-03-04 00:00"), "regular", None),
            ("park", z("2026-03-04 00:00"), z("2026-03-06 00:00"), "cover", "kim"),
            ("kim", z("2026-03-06 00:00"), z("2026-03-09 14:00"), "regular", None),
        ],
    ),
    (
        "cover passes to the one after only for the part the next is away",
        config(
            rotation(),
            people=(
                person("kim", away("2026-03-04 00:00", "2026-03-06 00:00", "dentist")),
                person("lee", away("2026-03-05 00:00", "2026-03-08 00:00", "conference")),
            ),
        ),
        *KIM_0,
        [
            ("kim", z("2026-03-02 15:00"), z("2026-03-04 00:00"), "regular", None),
            ("lee", z("2026-03-04 00:00"), z("2026-03-05 00:00"), "cover", "kim"),
            ("park", z("2026-03-05 00:00"), z("2026-03-06 00:00"), "cover", "kim"),
            ("kim", z("2026-03-06 00:00"), z("2026-03-09 14:00"), "regular", None),
        ],
    ),
    (
        "rotation order wraps: in Park's turn Kim is next",
        config(
            rotation(),
            people=(person("park", away("2026-03-17 00:00", "2026-03-18 00:00", "flu")),),
        ),
        z("2026-03-17 00:00"),
        z("2026-03-18 00:00"),
        [("kim", z("2026-03-17 00:00"), z("2026-03-18 00:00"), "cover", "park")],
    ),
    (
        "a team of one away is a gap",
        config(
            rotation(team=("kim",)),
            people=(person("kim", away("2026-03-04 00:00", "2026-03-05 00:00", "holiday")),),
        ),
        z("2026-03-03 00:00"),
        z("2026-03-06 00:00"),
        [
            ("kim", z("2026-03-03 00:00"), z("2026-03-04 00:00"), "regular", None),
            (None, z("2026-03-04 00:00"), z("2026-03-05 00:00"), "gap", "kim"),
            ("kim", z("2026-03-05 00:00"), z("2026-03-06 00:00"), "regular", None),
        ],
    ),
    (
        "a team of one works every turn, the pieces split per turn",
        config(rotation(team=("kim",))),
        z("2026-03-02 15:00"),
        z("2026-03-16 14:00"),
        [
            ("kim", *KIM_0, "regular", None),
            ("kim", *LEE_1, "regular", None),
        ],
    ),
    (
        "an override replaces whoever covers, in the name of the turn's owner",
        config(
            rotation(),
            people=(person("kim", away("2026-03-04 00:00", "2026-03-06 00:00", "dentist")),),
            overrides=(override("park", "2026-03-05 00:00", "2026-03-05 06:00"),),
        ),
        z("2026-03-04 00:00"),
        z("2026-03-06 00:00"),
        [
            ("lee", z("2026-03-04 00:00"), z("2026-03-05 00:00"), "cover", "kim"),
            ("park", z("2026-03-05 00:00"), z("2026-03-05 06:00"), "override", "kim"),
            ("lee", z("2026-03-05 06:00"), z("2026-03-06 00:00"), "cover", "kim"),
        ],
    ),
    (
        "an override before the rotation starts fills part of the gap",
        config(
            rotation(start=date(2026, 3, 16)),
            overrides=(override("lee", "2026-03-12 00:00", "2026-03-13 00:00"),),
        ),
        z("2026-03-11 00:00"),
        z("2026-03-14 00:00"),
        [
            (None, z("2026-03-11 00:00"), z("2026-03-12 00:00"), "gap", None),
            ("lee", z("2026-03-12 00:00"), z("2026-03-13 00:00"), "override", None),
            (None, z("2026-03-13 00:00"), z("2026-03-14 00:00"), "gap", None),
        ],
    ),
]


@pytest.mark.parametrize(
    ("cfg", "start", "end", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in SCHEDULE_CASES],
)
def test_shifts_between(cfg, start, end, expected):
    assert pieces(shifts_between(cfg, "payments", start, end)) == expected


@pytest.mark.parametrize(
    ("cfg", "start", "end"),
    [pytest.param(*case[1:4], id=case[0]) for case in SCHEDULE_CASES],
)
def test_pieces_are_contiguous_cover_the_window_and_do_not_repeat_a_neighbour(cfg, start, end):
    shifts = shifts_between(cfg, "payments", start, end)
    assert shifts[0].start == start and shifts[-1].end == end
    for before, after in itertools.pairwise(shifts):
        assert before.end == after.start
        assert (before.person, before.kind, before.slot_start) != (
            after.person,
            after.kind,
            after.slot_start,
        )


def test_time_off_and_override_reasons_are_carried_on_the_piece():
    cfg = config(
        rotation(),
        people=(person("kim", away("2026-03-04 00:00", "2026-03-05 00:00", "dentist")),),
        overrides=(override("park", "2026-03-06 00:00", "2026-03-06 06:00", reason="swap"),),
    )
    shifts = shifts_between(cfg, "payments", *KIM_0)
    assert [(s.kind, s.reason) for s in shifts] == [
        ("regular", ""),
        ("cover", "dentist"),
        ("regular", ""),
        ("override", "swap"),
        ("regular", ""),
    ]
    assert {s.slot_start for s in shifts} == {KIM_0[0]}


def test_extra_overrides_apply_after_the_configured_ones():
    cfg = config(rotation(), overrides=(override("lee", "2026-03-03 00:00", "2026-03-03 12:00"),))
    api_made = (override("park", "2026-03-03 00:00", "2026-03-03 12:00"),)
    shifts = shifts_between(cfg, "payments", z("2026-03-03 00:00"), z("2026-03-03 12:00"), api_made)
    assert pieces(shifts) == [("park", z("2026-03-03 00:00"), z("2026-03-03 12:00"), "override", "kim")]


def test_a_whole_team_away_is_a_gap_reported_with_its_exact_window():
    time_off = away("2026-03-09 00:00", "2026-03-10 00:00", "offsite")
    cfg = config(rotation(), people=tuple(person(k, time_off) for k in ("kim", "lee", "park")))
    shifts = shifts_between(cfg, "payments", z("2026-03-08 00:00"), z("2026-03-11 00:00"))
    # The gap crosses the 14:00 UTC handoff: one piece per turn, one window from gaps().
    assert pieces(shifts) == [
        ("kim", z("2026-03-08 00:00"), z("2026-03-09 00:00"), "regular", None),
        (None, z("2026-03-09 00:00"), z("2026-03-09 14:00"), "gap", "kim"),
        (None, z("2026-03-09 14:00"), z("2026-03-10 00:00"), "gap", "lee"),
        ("lee", z("2026-03-10 00:00"), z("2026-03-11 00:00"), "regular", None),
    ]
    assert gaps(cfg, "payments", KIM_0[0], z("2026-04-01 00:00")) == [
        (z("2026-03-09 00:00"), z("2026-03-10 00:00"))
    ]


@pytest.mark.parametrize(
    ("cfg", "expected"),
    [
        pytest.param(config(rotation()), [], id="a full rotation has no gaps"),
        pytest.param(
            config(rotation(start=date(2026, 3, 16))),
            [(z("2026-03-10 00:00"), z("2026-03-16 14:00"))],
            id="before the first turn, clipped to the window",
        ),
        pytest.param(
            config(rotation(team=())),
            [(z("2026-03-10 00:00"), z("2026-03-20 00:00"))],
            id="an empty team is one long gap",
        ),
    ],
)
def test_gaps(cfg, expected):
    assert gaps(cfg, "payments", z("2026-03-10 00:00"), z("2026-03-20 00:00")) == expected


# (id, config, instant, expected (person, start, end, kind))
ON_CALL_CASES = [
    (
        "during a regular turn: the whole turn",
        config(rotation()),
        z("2026-03-05 00:00"),
        ("kim", *KIM_0, "regular"),
    ),
    (
        "exactly at a handoff: the next person",
        config(rotation()),
        z("2026-03-09 14:00"),
        ("lee", *LEE_1, "regular"),
    ),
    (
        "during an override: the override piece",
        config(
            rotation(),
            overrides=(override("lee", "2026-03-04 23:00", "2026-03-05 14:00"),),
        ),
        z("2026-03-05 00:00"),
        ("lee", z("2026-03-04 23:00"), z("2026-03-05 14:00"), "override"),
    ),
    (
        "after an override: the rest of the turn, since the override ended",
        config(
            rotation(),
            overrides=(override("lee", "2026-03-04 23:00", "2026-03-05 14:00"),),
        ),
        z("2026-03-06 00:00"),
        ("kim", z("2026-03-05 14:00"), KIM_0[1], "regular"),
    ),
    (
        "before the first turn: a gap until it begins",
        config(rotation(start=date(2026, 3, 16))),
        z("2026-03-10 00:00"),
        (None, z("2026-03-10 00:00"), z("2026-03-16 14:00"), "gap"),
    ),
    (
        "before the first turn, after an early override: a gap since it ended",
        config(
            rotation(start=date(2026, 3, 16)),
            overrides=(override("lee", "2026-03-05 00:00", "2026-03-06 00:00"),),
        ),
        z("2026-03-10 00:00"),
        (None, z("2026-03-06 00:00"), z("2026-03-16 14:00"), "gap"),
    ),
]


@pytest.mark.parametrize(("cfg", "at", "expected"), [pytest.param(*c[1:], id=c[0]) for c in ON_CALL_CASES])
def test_on_call_at_returns_the_whole_piece(cfg, at, expected):
    shift = on_call_at(cfg, "payments", at)
    assert (shift.person, shift.start, shift.end, shift.kind) == expected


def test_shifts_of_person_gathers_every_rotation():
    cfg = config(
        rotation(),
        rotation(key="database", kind="daily", handoff="09:00", team=("lee", "kim")),
    )
    mine = shifts_of_person(cfg, "kim", z("2026-03-03 00:00"), z("2026-03-05 00:00"))
    assert [(s.rotation, s.start, s.end) for s in mine] == [
        ("payments", z("2026-03-03 00:00"), z("2026-03-05 00:00")),
        ("database", z("2026-03-03 14:00"), z("2026-03-04 14:00")),
    ]


def test_an_unknown_rotation_is_a_key_error_naming_the_known_ones():
    with pytest.raises(KeyError, match="known: payments"):
        shifts_between(config(rotation()), "paymnets", *KIM_0)


def test_an_empty_or_inverted_window_has_no_pieces():
    assert shifts_between(config(rotation()), "payments", KIM_0[1], KIM_0[0]) == []


@pytest.mark.parametrize(
    "tz",
    ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"],
)
def test_on_call_at_agrees_with_shifts_between_every_half_hour_across_dst(tz):
    # Daily 02:30 handoffs with time off and an override, over both 2026 DST changes of
    # each zone: the piece on_call_at returns must be the one shifts_between lists.
    cfg = config(
        rotation(kind="daily", handoff="02:30", start=date(2026, 3, 1), tz=tz),
        people=(person("lee", away("2026-03-28 20:00", "2026-03-30 04:00", "trip")),),
        overrides=(override("park", "2026-03-08 05:00", "2026-03-09 09:00"),),
    )
    for window_start in (
        z("2026-03-06 00:00"),
        z("2026-03-27 00:00"),
        z("2026-10-02 00:00"),
    ):
        window_end = window_start + timedelta(days=5)
        schedule = shifts_between(cfg, "payments", window_start, window_end)
        at = window_start
        while at < window_end:
            listed = next(s for s in schedule if s.covers(at))
            found = on_call_at(cfg, "payments", at)
            assert (found.person, found.kind, found.replaces) == (
                listed.person,
                listed.kind,
                listed.replaces,
            ), at
            assert found.start <= listed.start or listed.start == window_start
            at += timedelta(minutes=30)
