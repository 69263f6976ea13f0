"""Gaps in coverage are validation warnings with their exact window (docs/schedules.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from oncall.configfile.loader import check_config

TEAM_AWAY = """\
timezone: Europe/Berlin
people:
  anna: {name: Anna, phone: "+49 151 23456701", unavailable: [{from: "2026-12-24 18:00", to: "2026-12-26 09:00"}]}
  ben:  {name: Ben,  phone: "+49 151 23456702", unavailable: [{from: 2026-12-25, to: 2026-12-25}]}
rotations:
  ops:
    type: weekly
    handoff: "mon 09:00"
    start: START
    team: [anna, ben]
escalations:
  ops:
    levels:
      - notify: {rotation: ops}
routes:
  - escalation: ops
"""


def test_whole_team_away_is_a_warning_with_the_exact_local_window():
    config, problems = check_config(
        TEAM_AWAY.replace("START", "2026-11-30"), "gaps.yaml", now=datetime(2026, 11, 27, tzinfo=UTC)
    )
    assert config is not None
    [gap] = [p for p in problems if "nobody on call" in p.message]
    assert gap.severity == "warning" and gap.line == 6  # the rotation's key
    # Both away from Ben's day off (25th 00:00) until it ends (26th 00:00).
    assert "from Fri 2026-12-25 00:00 to Sat 2026-12-26 00:00 (Europe/Berlin)" in gap.message


def test_a_rotation_that_starts_later_is_not_a_gap():
    config, problems = check_config(
        TEAM_AWAY.replace("START", "2027-06-07"), "gaps.yaml", now=datetime(2026, 11, 27, tzinfo=UTC)
    )
    assert config is not None
    assert not [p for p in problems if "nobody on call" in p.message]
