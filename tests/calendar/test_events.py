"""Which events a feed holds: summaries, descriptions, stable UIDs and backup levels."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from calendar_builders import START, seed_config

from oncall.calendar.events import (
    FeedSubject,
    Window,
    backup_events,
    calendar_name,
    event_uid,
    feed_window,
    person_events,
    query_window,
    rotation_events,
)
from oncall.config.model import CalendarSettings, EscalationPolicy, Level, Target
from oncall.schedule.shift import Shift
from oncall.schedule.shifts import shifts_between

WEEK = timedelta(weeks=1)
WINDOW = Window(START, START + 6 * WEEK)


def piece(person, kind="regular", replaces=None, offset=timedelta(0), length=WEEK, reason=""):
    return Shift(
        rotation="payments",
        person=person,
        start=START + offset,
        end=START + offset + length,
        kind=kind,
        replaces=replaces,
        reason=reason,
        slot_start=START,
    )


def schedule(config, rotation="payments", window=WINDOW):
    query = query_window(config, window)
    return shifts_between(config, rotation, query.start, query.end)


SUMMARIES = {
    "regular": (piece("kim"), "On call: payments (Kim)"),
    "override": (
        piece("lee", "override", replaces="kim"),
        "On call: payments (Lee, override for Kim)",
    ),
    "cover for time off": (
        piece("park", "cover", replaces="lee"),
        "On call: payments (Park, covering Lee)",
    ),
    "gap": (piece(None, "gap", replaces="kim"), "No one on call: payments"),
}


@pytest.mark.parametrize("shift, summary", SUMMARIES.values(), ids=SUMMARIES.keys())
def test_summary_names_the_rotation_and_who(shift, summary):
    [event] = rotation_events(seed_config(), "payments", [shift], WINDOW)
    assert event.summary == summary


UID_CASES = {
    "another person in the same piece keeps the uid": (
        piece("kim"),
        piece("lee"),
        True,
    ),
    "a changed end keeps the uid": (piece("kim"), piece("kim", length=3 * WEEK), True),
    "a changed reason keeps the uid": (
        piece("kim", "override", "lee"),
        piece("kim", "override", "lee", reason="swap"),
        True,
    ),
    "an override of the same slot gets its own uid": (
        piece("kim"),
        piece("kim", "override", "lee"),
        False,
    ),
    "a later piece of the same slot gets its own uid": (
        piece("kim"),
        piece("kim", offset=timedelta(days=2)),
        False,
    ),
}


@pytest.mark.parametrize("first, second, same", UID_CASES.values(), ids=UID_CASES.keys())
def test_uid_depends_on_the_slot_and_piece_not_on_the_person(first, second, same):
    assert (event_uid("rotation", first) == event_uid("rotation", second)) is same


def test_person_and_rotation_feeds_use_different_uids_for_one_shift():
    # Subscribed side by side, two calendars must not fight over one UID.
    shift = piece("kim")
    assert event_uid("person", shift) != event_uid("rotation", shift)
    assert event_uid("person", shift).endswith("@oncall")


def test_description_names_policy_levels_and_handoff_partners():
    config = seed_config()
    events = rotation_events(config, "payments", schedule(config), WINDOW)
    lee = next(e for e in events if e.summary == "On call: payments (Lee)")
    lines = lee.description.splitlines()
    assert "Takes over from: Kim" in lines
    assert "Hands over to: Park" in lines
    assert "Escalation policy payments:" in lines
    assert "  level 2: Choi — after 15m if unacknowledged" in lines
    assert "  level 3: Jung — after 30m if unresolved" in lines


def test_rotation_feed_holds_whole_shifts_overlapping_the_window():
    config = seed_config()
    # A window that starts and ends mid-shift still shows those shifts whole.
    window = Window(START + timedelta(days=3), START + timedelta(days=17))
    events = rotation_events(config, "payments", schedule(config, window=window), window)
    assert [(e.start, e.end) for e in events] == [
        (START, START + WEEK),
        (START + WEEK, START + 2 * WEEK),
        (START + 2 * WEEK, START + 3 * WEEK),
    ]


def test_the_gap_before_a_rotation_starts_is_left_out():
    # Its start would be the query's start, moving every day; it would churn UIDs.
    config = seed_config()
    window = Window(START - 2 * WEEK, START + 2 * WEEK)
    events = rotation_events(config, "payments", schedule(config, window=window), window)
    assert [e.summary for e in events] == [
        "On call: payments (Kim)",
        "On call: payments (Lee)",
    ]


def test_person_feed_has_only_their_shifts():
    config = seed_config()
    events = person_events(config, "lee", {"payments": schedule(config)}, WINDOW)
    assert [(e.summary, e.start) for e in events] == [
        ("On call: payments (Lee)", START + WEEK),
        ("On call: payments (Lee)", START + 4 * WEEK),
    ]


def with_level_two(*targets: Target):
    config = seed_config()
    policy = config.escalations["payments"]
    levels = (
        policy.levels[0],
        replace(policy.levels[1], targets=targets),
        *policy.levels[2:],
    )
    return replace(config, escalations={"payments": replace(policy, levels=levels)})


BACKUP_CASES = {
    "team lead is backup behind every shift": (
        seed_config(),
        "choi",
        [("Backup L2: payments (Choi)", START + n * WEEK) for n in range(6)],
    ),
    "vp is backup at level 3": (
        seed_config(),
        "jung",
        [("Backup L3: payments (Jung)", START + n * WEEK) for n in range(6)],
    ),
    "an engineer at level 1 is not also backup": (seed_config(), "kim", []),
    "an engineer named at level 2 is backup only off their own shifts": (
        with_level_two(Target("person", "kim")),
        "kim",
        [("Backup L2: payments (Kim)", START + n * WEEK) for n in (1, 2, 4, 5)],
    ),
}


@pytest.mark.parametrize("config, person, expected", BACKUP_CASES.values(), ids=BACKUP_CASES.keys())
def test_backup_events_follow_the_shifts_they_stand_behind(config, person, expected):
    events = backup_events(config, person, {"payments": schedule(config)}, WINDOW)
    assert [(e.summary, e.start) for e in events] == expected
    assert all(e.end - e.start == WEEK for e in events)


def test_backup_description_says_who_is_ahead():
    config = seed_config()
    events = backup_events(config, "jung", {"payments": schedule(config)}, WINDOW)
    assert events[1].description.splitlines() == [
        "Backup: level 3 of escalation policy payments, paged after 30m if unresolved.",
        "Ahead of you:",
        "  level 1: Lee",
        "  level 2: Choi",
    ]


def test_a_policy_without_rotations_gives_no_backup_events():
    config = seed_config()
    only_people = EscalationPolicy(key="execs", levels=(Level(targets=(Target("person", "jung"),)),))
    config = replace(config, escalations={"execs": only_people})
    assert backup_events(config, "jung", {"payments": schedule(config)}, WINDOW) == []


def test_reminders_apply_to_shifts_but_not_to_gaps():
    config = seed_config(calendar=CalendarSettings(reminders=(timedelta(hours=1),)))
    shift, gap = rotation_events(config, "payments", [piece("kim"), piece(None, "gap", offset=WEEK)], WINDOW)
    assert shift.reminders == (timedelta(hours=1),)
    assert gap.reminders == ()


WINDOW_CASES = {
    "default: 4 weeks back, 26 ahead, whole days": (
        CalendarSettings(),
        datetime(2026, 5, 20, 13, 45, tzinfo=UTC),
        Window(datetime(2026, 4, 22, tzinfo=UTC), datetime(2026, 11, 19, tzinfo=UTC)),
    ),
    "configured: 1 week back, 2 ahead": (
        CalendarSettings(horizon_back=timedelta(weeks=1), horizon_ahead=timedelta(weeks=2)),
        datetime(2026, 5, 20, 0, 0, tzinfo=UTC),
        Window(datetime(2026, 5, 13, tzinfo=UTC), datetime(2026, 6, 4, tzinfo=UTC)),
    ),
}


@pytest.mark.parametrize("settings, now, expected", WINDOW_CASES.values(), ids=WINDOW_CASES.keys())
def test_feed_window(settings, now, expected):
    assert feed_window(now, settings) == expected


@pytest.mark.parametrize(
    "subject, name",
    [
        (FeedSubject("person", "kim"), "On call: Kim"),
        (FeedSubject("rotation", "payments"), "On call: payments"),
    ],
    ids=["person", "rotation"],
)
def test_calendar_name(subject, name):
    assert calendar_name(seed_config(), subject) == name
