"""The readable preview table of a rotation's coming weeks."""

from __future__ import annotations

from schedule_builders import away, config, override, person, rotation, z

from oncall.schedule import preview_table


def rows(table: str) -> list[str]:
    """The table's data rows (after the title, header and rule)."""
    return table.splitlines()[3:]


def test_preview_shows_local_times_and_167_hours_across_spring_forward():
    table = preview_table(config(rotation()), "payments", z("2026-03-02 15:00"), weeks=2)
    assert table.splitlines()[0] == (
        "payments: weekly, handoff mon 10:00 America/New_York, from 2026-03-02, Kim → Lee → Park"
    )
    assert rows(table) == [
        "Mon 2026-03-02 10:00 EST  Mon 2026-03-09 10:00 EDT  Kim  regular    167",
        "Mon 2026-03-09 10:00 EDT  Mon 2026-03-16 10:00 EDT  Lee  regular    168",
    ]


def test_preview_shows_169_hours_across_fall_back_and_the_turn_in_progress_whole():
    # Starting mid-week: the turn in progress is shown from its real start.
    table = preview_table(config(rotation()), "payments", z("2026-10-28 12:00"), weeks=1)
    assert rows(table) == [
        "Mon 2026-10-26 10:00 EDT  Mon 2026-11-02 10:00 EST  Lee   regular    169",
        "Mon 2026-11-02 10:00 EST  Mon 2026-11-09 10:00 EST  Park  regular    168",
    ]


def test_preview_names_who_is_replaced_and_why():
    cfg = config(
        rotation(),
        people=(person("kim", away("2026-03-04 05:00", "2026-03-05 05:00", "dentist")),),
        overrides=(override("park", "2026-03-06 23:00", "2026-03-07 14:00", reason="swap"),),
    )
    table = preview_table(cfg, "payments", z("2026-03-02 15:00"), weeks=1)
    assert rows(table) == [
        "Mon 2026-03-02 10:00 EST  Wed 2026-03-04 00:00 EST  Kim   regular                    38",
        "Wed 2026-03-04 00:00 EST  Thu 2026-03-05 00:00 EST  Lee   cover for Kim: dentist     24",
        "Thu 2026-03-05 00:00 EST  Fri 2026-03-06 18:00 EST  Kim   regular                    42",
        "Fri 2026-03-06 18:00 EST  Sat 2026-03-07 09:00 EST  Park  override for Kim: swap     15",
        "Sat 2026-03-07 09:00 EST  Mon 2026-03-09 10:00 EDT  Kim   regular                    48",
    ]


def test_preview_shows_half_hours_and_gaps():
    cfg = config(
        rotation(team=("kim",)),
        people=(person("kim", away("2026-03-04 05:00", "2026-03-04 05:30", "errand")),),
    )
    table = preview_table(cfg, "payments", z("2026-03-02 15:00"), weeks=1)
    assert "Wed 2026-03-04 00:00 EST  Wed 2026-03-04 00:30 EST  nobody  gap, Kim away: errand" in table
    assert rows(table)[1].endswith(" 0.5")
