"""Adding a person re-phases a rotation unless its order is pinned: `phase: {at, person}`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oncall.config.model import Config
from oncall.configfile import check_config
from oncall.schedule import on_call_at, shifts_between
from oncall.schedule.rephase import headline, pin_text, render_rephasings, rephasings

# Kim, Lee, Park take weekly turns from Mon 2026-03-02 10:00 Seoul time. Turn 40 begins
# Mon 2026-12-07 10:00 and is Lee's (40 mod 3 = 1); with Choi added it would be Kim's (40 mod 4 = 0).
NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # Tue 2026-12-08 14:00 in Seoul
BASE = """\
timezone: Asia/Seoul
people:
  kim:  {name: Kim,  phone: "+82 10-1234-5601"}
  lee:  {name: Lee,  phone: "+82 10-1234-5602"}
  park: {name: Park, phone: "+82 10-1234-5603"}
  choi: {name: Choi, phone: "+82 10-1234-5604"}
rotations:
  payments:
    type: weekly
    handoff: "mon 10:00"
    start: 2026-03-02
    team: [kim, lee, park]
escalations:
  payments:
    levels:
      - notify: {rotation: payments}
      - notify: {person: choi}
        after: 15m
routes:
  - escalation: payments
"""
WITH_CHOI = BASE.replace("team: [kim, lee, park]", "team: [kim, lee, park, choi]")
PINNED = WITH_CHOI.replace(
    "team: [kim, lee, park, choi]",
    'team: [kim, lee, park, choi]\n    phase: {at: "2026-12-07 10:00", person: lee}',
)
NAMES = {"kim": "Kim", "lee": "Lee", "park": "Park", "choi": "Choi"}


def _config(text: str) -> Config:
    config, problems = check_config(text, "oncall.yaml", now=NOW)
    assert config is not None, "\n".join(map(str, problems))
    return config


def _seoul(day: int, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, 1, 0, tzinfo=UTC)  # 10:00 in Seoul


def test_adding_a_person_re_phases_the_current_shift_and_the_next_weeks() -> None:
    (found,) = rephasings(_config(BASE), _config(WITH_CHOI), NOW)

    assert headline(found, NAMES) == "on call now Lee → Kim"
    assert [(row.start, row.before, row.after) for row in found.handovers[:4]] == [
        (NOW, "lee", "kim"),
        (_seoul(14), "park", "lee"),
        (_seoul(21), "kim", "park"),
        (_seoul(28), "lee", "choi"),
    ]
    # The pin that keeps the order: whoever had the turn in progress keeps it from its handoff.
    assert pin_text(found) == 'phase: {at: "2026-12-07 10:00", person: lee}'


def test_the_block_names_the_rotation_the_table_and_the_pin() -> None:
    text = render_rephasings(rephasings(_config(BASE), _config(WITH_CHOI), NOW), NAMES)

    lines = text.splitlines()
    assert lines[0] == "!! Rotation payments re-phases: on call now Lee → Kim"
    assert "now (2026-12-08 14:00) Lee          Kim           <- changes" in text
    assert "Mon 2026-12-14 10:00   Park         Lee           <- changes" in text
    assert 'phase: {at: "2026-12-07 10:00", person: lee}' in text


def test_with_the_pin_nothing_re_phases_and_the_new_person_takes_a_later_turn() -> None:
    old, pinned = _config(BASE), _config(PINNED)

    assert rephasings(old, pinned, NOW) == []
    before, after = on_call_at(old, "payments", NOW), on_call_at(pinned, "payments", NOW)
    assert (
        (after.person, after.start, after.end)
        == (before.person, before.start, before.end)
        == (
            "lee",
            _seoul(7),
            _seoul(14),
        )
    )
    turns = [s.person for s in shifts_between(pinned, "payments", _seoul(7), _seoul(4, 1, 2027))]
    assert turns == ["lee", "park", "choi", "kim"]


def test_removing_a_person_with_the_pin_is_no_re_phase_but_without_it_is() -> None:
    without_park = BASE.replace("team: [kim, lee, park]", "team: [kim, lee]")
    pinned = without_park.replace(
        "team: [kim, lee]", 'team: [kim, lee]\n    phase: {at: "2026-12-08 14:00", person: lee}'
    )

    assert rephasings(_config(BASE), _config(pinned), NOW) == []
    (found,) = rephasings(_config(BASE), _config(without_park), NOW)
    assert found.now.changed


def test_reordering_the_team_re_phases_even_when_now_stays() -> None:
    # Turn 40 is Lee's in both orders; the next one is Park's before and Kim's after.
    reordered = BASE.replace("team: [kim, lee, park]", "team: [park, lee, kim]")
    (found,) = rephasings(_config(BASE), _config(reordered), NOW)

    assert headline(found, NAMES) == "on call now Lee (unchanged), from Mon 2026-12-14 10:00 Park → Kim"


@pytest.mark.parametrize(
    "edit",
    [
        (
            "escalations:",
            'overrides:\n  - {rotation: payments, person: choi, from: "2026-12-09 10:00", to: "2026-12-10 10:00"}\nescalations:',
        ),
        ("name: Kim,", "name: Kim Minji,"),
    ],
    ids=["an override", "a new name"],
)
def test_changes_that_leave_the_turn_order_alone_are_no_re_phase(edit: tuple[str, str]) -> None:
    assert rephasings(_config(BASE), _config(BASE.replace(*edit)), NOW) == []


def test_a_pinned_turn_owner_who_is_away_is_covered_by_the_next_in_the_team() -> None:
    # Lee holds the pinned turn and is away on its Wednesday; Park comes after Lee in the team.
    away = PINNED.replace(
        'lee:  {name: Lee,  phone: "+82 10-1234-5602"}',
        'lee:  {name: Lee,  phone: "+82 10-1234-5602", unavailable: [{from: 2026-12-09, to: 2026-12-09}]}',
    )
    piece = on_call_at(_config(away), "payments", datetime(2026, 12, 9, 3, tzinfo=UTC))

    assert (piece.person, piece.kind, piece.replaces) == ("park", "cover", "lee")


def test_a_pin_long_before_now_keeps_its_order_for_every_later_turn() -> None:
    pinned_in_march = WITH_CHOI.replace(
        "team: [kim, lee, park, choi]",
        'team: [kim, lee, park, choi]\n    phase: {at: "2026-03-04 12:00", person: choi}',
    )
    config = _config(pinned_in_march)
    # The turn in progress on 4 March (turn 0) is Choi's, so turn 40 (40 mod 4 = 0) is Choi's too.
    assert on_call_at(config, "payments", NOW).person == "choi"
    assert on_call_at(config, "payments", NOW + timedelta(weeks=1)).person == "kim"
