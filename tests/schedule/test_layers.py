"""Layered rotations: a later layer wins wherever it has someone; below, the layers show through."""

from __future__ import annotations

from datetime import timedelta

from oncall.calendar.events import Window, query_window, rotation_events
from oncall.schedule import diff_schedules, on_call_at, preview_table, render_diff, shifts_between
from oncall.schedule.formatting import kind_text
from tests.schedule.schedule_builders import (
    away,
    config,
    daily_windows,
    layered,
    local,
    override,
    person,
    rotation,
    window,
    z,
)

WEEKLY = rotation(handoff="mon 09:00", team=("kim", "lee", "park"))
DAYTIME = rotation(
    kind="daily", handoff="09:00", team=("choi", "jung"), restrict=daily_windows("mon-fri", "09:00", "17:00")
)
PRIMARY = layered("primary", WEEKLY, DAYTIME)


def rows(shifts) -> list[tuple]:
    return [(s.person, s.start, s.end, s.kind, s.replaces, s.layer) for s in shifts]


def test_the_higher_layer_wins_and_the_lower_shows_through_its_restricted_hours():
    got = shifts_between(config(PRIMARY), "primary", local("2026-03-02 09:00"), local("2026-03-04 09:00"))
    assert rows(got) == [
        ("choi", z("2026-03-02 14:00"), z("2026-03-02 22:00"), "regular", None, 2),
        ("kim", z("2026-03-02 22:00"), z("2026-03-03 14:00"), "regular", None, 1),
        ("jung", z("2026-03-03 14:00"), z("2026-03-03 22:00"), "regular", None, 2),
        ("kim", z("2026-03-03 22:00"), z("2026-03-04 14:00"), "regular", None, 1),
    ]


def test_on_call_at_gives_the_whole_piece_of_the_winning_layer():
    cfg = config(PRIMARY)
    day = on_call_at(cfg, "primary", local("2026-03-03 12:00"))
    night = on_call_at(cfg, "primary", local("2026-03-03 20:00"))
    assert (day.person, day.start, day.end, day.layer) == (
        "jung",
        z("2026-03-03 14:00"),
        z("2026-03-03 22:00"),
        2,
    )
    assert (night.person, night.start, night.end, night.layer) == (
        "kim",
        z("2026-03-03 22:00"),
        z("2026-03-04 14:00"),
        1,
    )


def test_time_off_in_a_layer_is_covered_by_that_layers_team():
    cfg = config(PRIMARY, people=(person("choi", away("2026-03-02 16:00", "2026-03-02 18:00", "dentist")),))
    got = shifts_between(cfg, "primary", local("2026-03-02 09:00"), local("2026-03-02 17:00"))
    assert rows(got) == [
        ("choi", z("2026-03-02 14:00"), z("2026-03-02 16:00"), "regular", None, 2),
        ("jung", z("2026-03-02 16:00"), z("2026-03-02 18:00"), "cover", "choi", 2),
        ("choi", z("2026-03-02 18:00"), z("2026-03-02 22:00"), "regular", None, 2),
    ]


def test_a_layer_whose_whole_team_is_away_lets_the_layer_below_show_through():
    cfg = config(
        PRIMARY,
        people=(
            person("choi", away("2026-03-03 00:00", "2026-03-04 00:00")),
            person("jung", away("2026-03-03 00:00", "2026-03-04 00:00")),
        ),
    )
    piece = on_call_at(cfg, "primary", local("2026-03-03 12:00"))
    assert (piece.person, piece.layer) == ("kim", 1)


def test_where_no_layer_has_anyone_it_is_a_gap_of_no_layer():
    nights = rotation(
        handoff="mon 09:00", team=("kim", "lee"), restrict=daily_windows("mon-fri", "17:00", "09:00")
    )
    cfg = config(layered("primary", nights, DAYTIME))
    piece = on_call_at(cfg, "primary", local("2026-03-07 12:00"))  # Saturday noon: neither layer
    assert (piece.person, piece.kind, piece.layer) == (None, "gap", None)
    # Within the top layer's Saturday turn, as every piece is within some turn.
    assert (piece.start, piece.end) == (local("2026-03-07 09:00"), local("2026-03-08 09:00"))
    assert kind_text(piece, {}) == "gap, no layer has anyone on call"


def test_overrides_apply_on_top_of_the_composed_layers():
    cfg = config(
        PRIMARY, overrides=(override("lee", "2026-03-02 21:00", "2026-03-02 23:00", "primary", "swap"),)
    )
    got = shifts_between(cfg, "primary", local("2026-03-02 15:00"), local("2026-03-02 19:00"))
    assert rows(got) == [
        ("choi", z("2026-03-02 20:00"), z("2026-03-02 21:00"), "regular", None, 2),
        ("lee", z("2026-03-02 21:00"), z("2026-03-02 22:00"), "override", "choi", 2),
        ("lee", z("2026-03-02 22:00"), z("2026-03-02 23:00"), "override", "kim", 1),
        ("kim", z("2026-03-02 23:00"), z("2026-03-03 00:00"), "regular", None, 1),
    ]


def test_layers_across_spring_forward_keep_their_wall_clock_edges():
    weekend = rotation(
        kind="daily", handoff="09:00", team=("choi", "jung"), restrict=(window("sat 10:00", "mon 08:00"),)
    )
    cfg = config(layered("primary", WEEKLY, weekend))
    got = shifts_between(cfg, "primary", local("2026-03-07 09:00"), local("2026-03-09 09:00"))
    assert [(s.person, s.start, s.end, s.layer) for s in got] == [
        ("kim", z("2026-03-07 14:00"), z("2026-03-07 15:00"), 1),
        ("jung", z("2026-03-07 15:00"), z("2026-03-08 13:00"), 2),  # to 09:00 EDT: 22 real hours
        ("choi", z("2026-03-08 13:00"), z("2026-03-09 12:00"), 2),  # to 08:00 EDT
        ("kim", z("2026-03-09 12:00"), z("2026-03-09 13:00"), 1),
    ]


def test_preview_names_each_pieces_layer():
    text = preview_table(config(PRIMARY), "primary", local("2026-03-02 09:00"), weeks=1)
    lines = text.splitlines()
    assert lines[0] == (
        "primary: 2 layers in America/New_York, later ones win: "
        "layer 1: weekly, handoff mon 09:00, from 2026-03-02, Kim → Lee → Park; "
        "layer 2: daily, handoff 09:00, from 2026-03-02, Choi → Jung, "
        "only mon 09:00–mon 17:00, tue 09:00–tue 17:00, wed 09:00–wed 17:00, thu 09:00–thu 17:00, fri 09:00–fri 17:00"
    )
    assert lines[4].split() == [
        "Mon",
        "2026-03-02",
        "17:00",
        "EST",
        "Tue",
        "2026-03-03",
        "09:00",
        "EST",
        "Kim",
        "regular,",
        "layer",
        "1",
        "16",
    ]
    assert lines[3].split()[-4:] == ["regular,", "layer", "2", "8"]


def test_diff_of_adding_a_layer_names_the_layer_that_takes_the_hours():
    old, new = config(WEEKLY), config(layered("payments", WEEKLY, DAYTIME))
    changes = diff_schedules(old, new, local("2026-03-02 09:00"), local("2026-03-03 09:00"))
    text = render_diff(changes, {"kim": "Kim", "choi": "Choi"})
    assert "moved       Kim: Mon 2026-03-02 09:00 EST -> Tue 2026-03-03 09:00 EST (24h)" in text
    assert (
        "added       Mon 2026-03-02 09:00 EST -> Mon 2026-03-02 17:00 EST (8h): Choi (regular, layer 2)"
        in text
    )
    assert "  Kim: -8h" in text and "  Choi: +8h" in text


def test_a_far_query_costs_the_same_as_a_near_one():
    cfg = config(PRIMARY)
    piece = on_call_at(cfg, "primary", local("2036-03-04 12:00"))
    assert piece.layer == 2 and piece.duration == timedelta(hours=8)


def test_feed_events_say_which_layer_and_keep_distinct_uids():
    cfg = config(PRIMARY)
    window = Window(local("2026-03-02 09:00"), local("2026-03-04 09:00"))
    query = query_window(cfg, window)
    shifts = shifts_between(cfg, "primary", query.start, query.end)
    events = [e for e in rotation_events(cfg, "primary", shifts, window) if e.start >= window.start]
    first = events[0]
    assert (first.summary, first.start) == ("On call: primary (Choi)", z("2026-03-02 14:00"))
    assert "Rotation primary (layer 2 of 2, America/New_York)." in first.description
    assert "Rotation primary (layer 1 of 2, America/New_York)." in events[1].description
    assert len({e.uid for e in events}) == len(events)
