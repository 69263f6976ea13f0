"""Reviewing a configuration change: which shifts change, for whom."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from schedule_builders import away, config, override, person, policy, rotation, z

from oncall.schedule import diff_schedules, render_diff

THREE_WEEKS = (z("2026-03-02 15:00"), z("2026-03-23 14:00"))
BASE = config(rotation())


def summary(changes):
    """Each change as (kind, people before, people after, earliest start)."""
    return [
        (
            c.change,
            tuple(s.person for s in c.before),
            tuple(s.person for s in c.after),
            c.starts,
        )
        for c in changes
    ]


DIFF_CASES = [
    (
        "changed team order: two turns reassigned, the third unchanged",
        config(rotation(team=("lee", "kim", "park"))),
        [
            ("reassigned", ("kim",), ("lee",), z("2026-03-02 15:00")),
            ("reassigned", ("lee",), ("kim",), z("2026-03-09 14:00")),
        ],
    ),
    (
        "an added override: Kim's turn is cut around it, Lee gains the window",
        config(
            rotation(),
            overrides=(override("lee", "2026-03-04 23:00", "2026-03-05 14:00"),),
        ),
        [
            ("moved", ("kim",), ("kim", "kim"), z("2026-03-02 15:00")),
            ("added", (), ("lee",), z("2026-03-04 23:00")),
        ],
    ),
    (
        "added time off: the owner's turn is cut, the next person covers",
        config(
            rotation(),
            people=(person("lee", away("2026-03-10 00:00", "2026-03-11 00:00", "flu")),),
        ),
        [
            ("moved", ("lee",), ("lee", "lee"), z("2026-03-09 14:00")),
            ("added", (), ("park",), z("2026-03-10 00:00")),
        ],
    ),
    (
        "handoff an hour earlier: every turn moves, nobody changes",
        config(replace(rotation(), handoff_time=time(9, 0))),
        [
            (
                "moved",
                ("kim",),
                ("kim",),
                z("2026-03-02 15:00"),
            ),  # clipped to the window
            ("moved", ("lee",), ("lee",), z("2026-03-09 13:00")),
            ("moved", ("park",), ("park",), z("2026-03-16 13:00")),
            ("added", (), ("kim",), z("2026-03-23 13:00")),
        ],
    ),
    (
        "an unrelated change (phone, escalation policy) changes no shift",
        replace(
            config(rotation(), escalations=(policy("payments", ("rotation:payments",)),)),
            people={k: replace(p, phone="+15555550199") for k, p in BASE.people.items()},
        ),
        [],
    ),
]


@pytest.mark.parametrize(("new", "expected"), [pytest.param(*c[1:], id=c[0]) for c in DIFF_CASES])
def test_diff_schedules(new, expected):
    assert summary(diff_schedules(BASE, new, *THREE_WEEKS)) == expected


def test_rotations_added_and_removed_are_reported_with_their_shifts():
    database = rotation(key="database", kind="weekly", start=date(2026, 3, 9), team=("lee",))
    changes = diff_schedules(BASE, config(database), *THREE_WEEKS)
    assert summary(changes) == [
        ("rotation added", (), (), None),
        ("added", (), (None,), z("2026-03-02 15:00")),  # before database's first turn
        ("added", (), ("lee",), z("2026-03-09 14:00")),
        ("added", (), ("lee",), z("2026-03-16 14:00")),
        ("rotation removed", (), (), None),
        ("removed", ("kim",), (), z("2026-03-02 15:00")),
        ("removed", ("lee",), (), z("2026-03-09 14:00")),
        ("removed", ("park",), (), z("2026-03-16 14:00")),
    ]
    assert [c.rotation for c in changes] == ["database"] * 4 + ["payments"] * 4


def test_render_diff_says_what_changes_for_whom_in_local_time():
    new = config(
        rotation(),
        overrides=(override("lee", "2026-03-04 23:00", "2026-03-05 14:00", reason="swap"),),
    )
    text = render_diff(diff_schedules(BASE, new, *THREE_WEEKS), {"kim": "Kim", "lee": "Lee"})
    assert text.splitlines() == [
        "payments (times in America/New_York):",
        "  moved       Kim: Mon 2026-03-02 10:00 EST -> Mon 2026-03-09 10:00 EDT (167h)",
        (
            "              now Mon 2026-03-02 10:00 EST -> Wed 2026-03-04 18:00 EST (56h),"
            " Thu 2026-03-05 09:00 EST -> Mon 2026-03-09 10:00 EDT (96h)"
        ),
        (
            "  added       Wed 2026-03-04 18:00 EST -> Thu 2026-03-05 09:00 EST (15h):"
            " Lee (override for Kim: swap)"
        ),
        "Hours on call, per person:",
        "  Kim: -15h",
        "  Lee: +15h",
    ]


def test_render_diff_of_a_reassignment_names_both_people():
    text = render_diff(diff_schedules(BASE, config(rotation(team=("lee", "kim", "park"))), *THREE_WEEKS))
    assert (
        "  reassigned  Mon 2026-03-02 10:00 EST -> Mon 2026-03-09 10:00 EDT (167h):"
        " kim (regular) -> lee (regular)"
    ) in text.splitlines()
    # Kim loses 167h and gains 168h; Lee the other way round.
    assert text.endswith("Hours on call, per person:\n  kim: +1h\n  lee: -1h\n")


def test_render_diff_of_nothing():
    assert render_diff([]) == "No shift changes.\n"
