"""`layers:` and `restrict:` in the YAML: the fixed shape importers write, and its validation."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from oncall.config.model import WeeklyWindow
from oncall.configfile import check_config
from oncall.settings import ROOT

H = timedelta(hours=1)
D = timedelta(days=1)

# The shape from issue #14, as the vendor importers emit it.
LAYERED = """\
timezone: America/New_York
people:
  kim:  {name: Kim,  phone: "+1 212 555 0101"}
  lee:  {name: Lee,  phone: "+1 212 555 0102"}
  park: {name: Park, phone: "+1 212 555 0103"}
  choi: {name: Choi, phone: "+1 212 555 0104"}
  jung: {name: Jung, phone: "+1 212 555 0105"}
rotations:
  primary:
    timezone: America/New_York
    layers:
      - type: weekly
        handoff: "mon 09:00"
        start: 2026-03-02
        team: [kim, lee, park]
      - type: daily
        handoff: "09:00"
        start: 2026-03-02
        team: [choi, jung]
        restrict:
          - {days: mon-fri, from: "09:00", to: "17:00"}
          - {from: "sat 10:00", to: "mon 08:00"}
  simple:
    type: weekly
    handoff: "mon 10:00"
    start: 2026-03-02
    team: [kim, lee]
    restrict: [{days: mon-fri, from: "09:00", to: "18:00"}]
escalations:
  primary:
    levels:
      - notify: {rotation: primary}
routes:
  - escalation: primary
"""
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def load(text: str):
    return check_config(text, "layers.yaml", now=NOW)


def errors(text: str) -> list[tuple[int, str]]:
    config, problems = load(text)
    found = [(p.line, p.message) for p in problems if p.severity == "error"]
    assert config is None and found
    return found


def test_the_importers_shape_loads_into_layers_and_windows():
    config, problems = load(LAYERED)
    assert config is not None, problems
    primary = config.rotations["primary"]
    bottom, top = primary.layers
    assert (primary.kind, primary.team, primary.period) == (
        "layered",
        ("kim", "lee", "park", "choi", "jung"),
        7 * D,
    )
    assert (bottom.kind, bottom.team, bottom.restrict) == ("weekly", ("kim", "lee", "park"), ())
    assert (top.kind, top.timezone) == ("daily", "America/New_York")
    weekdays = [WeeklyWindow(day * D + 9 * H, 8 * H) for day in range(5)]
    assert top.restrict == (*weekdays, WeeklyWindow(5 * D + 10 * H, D + 22 * H))
    assert config.rotations["simple"].restrict == tuple(WeeklyWindow(d * D + 9 * H, 9 * H) for d in range(5))


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("mon-fri", [0, 1, 2, 3, 4]),
        ('"mon,wed,fri"', [0, 2, 4]),
        ("sat-sun", [5, 6]),
        ("daily", [0, 1, 2, 3, 4, 5, 6]),
        ("all", [0, 1, 2, 3, 4, 5, 6]),
        ("fri-mon", [0, 4, 5, 6]),
        ("[tue, thu]", [1, 3]),
    ],
)
def test_days_take_ranges_lists_and_every_day(days, expected):
    text = LAYERED.replace(
        'restrict: [{days: mon-fri, from: "09:00", to: "18:00"}]',
        f'restrict: [{{days: {days}, from: "22:00", to: "06:00"}}]',
    )
    config, problems = load(text)
    assert config is not None, problems
    assert config.rotations["simple"].restrict == tuple(WeeklyWindow(d * D + 22 * H, 8 * H) for d in expected)


def test_a_daily_window_from_a_time_to_the_same_time_is_a_whole_day():
    text = LAYERED.replace('to: "18:00"}]', 'to: "09:00"}]')
    config, _ = load(text)
    assert config is not None
    assert config.rotations["simple"].restrict[0] == WeeklyWindow(9 * H, D)


# (id, what replaces what, line, message fragment)
INVALID = [
    (
        "plain keys beside layers",
        (
            "    timezone: America/New_York\n    layers:",
            "    timezone: America/New_York\n    team: [kim]\n    layers:",
        ),
        11,
        "rotation `primary` has both `layers` and `team`; move `team` into a layer",
    ),
    (
        "empty layers",
        (LAYERED[LAYERED.index("    layers:") : LAYERED.index("  simple:")], "    layers: []\n"),
        11,
        "`layers` of rotation `primary` is empty; give at least one layer",
    ),
    (
        "a layer with its own time zone",
        ("      - type: daily\n", "      - type: daily\n        timezone: Europe/Berlin\n"),
        17,
        "layer 2 of rotation `primary` cannot have its own `timezone`",
    ),
    (
        "unknown key in a layer",
        ("        start: 2026-03-02\n        team: [choi", "        strat: 2026-03-02\n        team: [choi"),
        18,
        "unknown key `strat` in layer 2 of rotation `primary` — did you mean `start`?",
    ),
    (
        "a layer without a team",
        ("        team: [kim, lee, park]\n", ""),
        12,
        "layer 1 of rotation `primary` is missing `team`",
    ),
    (
        "bad day name",
        ('days: mon-fri, from: "09:00", to: "17:00"', 'days: mon-fir, from: "09:00", to: "17:00"'),
        21,
        "`fir` is not a day; use one of mon, tue, wed, thu, fri, sat, sun — did you mean `fri`?",
    ),
    (
        "zero-length weekly window",
        ('{from: "sat 10:00", to: "mon 08:00"}', '{from: "sat 10:00", to: "sat 10:00"}'),
        22,
        "window 2 of `restrict` of layer 2 of rotation `primary` has zero length (`to` equals `from`)",
    ),
    (
        "weekly window without a day",
        ('{from: "sat 10:00", to: "mon 08:00"}', '{from: "10:00", to: "mon 08:00"}'),
        22,
        "`from` of window 2 of `restrict` of layer 2 of rotation `primary` needs a day and a time, e.g. `sat 10:00`",
    ),
    (
        "unknown key in a window",
        ('{days: mon-fri, from: "09:00", to: "18:00"}', '{day: mon-fri, from: "09:00", to: "18:00"}'),
        28,
        "unknown key `day` in window 1 of `restrict` of rotation `simple` — did you mean `days`?",
    ),
    (
        "empty restrict",
        ('restrict: [{days: mon-fri, from: "09:00", to: "18:00"}]', "restrict: []"),
        28,
        "`restrict` of rotation `simple` is empty; leave it out to be on call at all hours",
    ),
    (
        "bad time",
        ('to: "18:00"}]', 'to: "18:75"}]'),
        28,
        "`to` of window 1 of `restrict` of rotation `simple`: `18:75` is not a time of day",
    ),
]


@pytest.mark.parametrize(("case", "change", "line", "fragment"), INVALID, ids=[c[0] for c in INVALID])
def test_each_problem_is_reported_at_its_line(case, change, line, fragment):
    old, new = change
    assert old in LAYERED, old
    found = errors(LAYERED.replace(old, new))
    assert any(at == line and fragment in message for at, message in found), found


def test_every_problem_is_reported_at_once():
    text = (
        LAYERED.replace('mon-fri, from: "09:00", to: "17:00"', 'mon-fir, from: "09:00", to: "17:00"')
        .replace('to: "mon 08:00"', 'to: "sat 10:00"')
        .replace('to: "18:00"}]', 'to: "18:75"}]')
    )
    assert [line for line, _ in errors(text)] == [21, 22, 28]


def test_restricted_hours_gaps_are_warned_plainly_first_week_listed_then_counted():
    config, problems = load(LAYERED)
    gaps = [p.message for p in problems if "rotation `simple`" in p.message]
    listed = [m for m in gaps if "nobody on call from" in m]
    # Monday 2026-03-02 10:00 (first turn) on: the first week's nights and the weekend, exactly.
    assert listed[0] == (
        "rotation `simple` has nobody on call from Mon 2026-03-02 18:00 to Tue 2026-03-03 09:00 "
        "(America/New_York): outside the restricted hours (expected for a restricted rotation; "
        "add a layer to cover them)"
    )
    assert len(listed) == 5 and "from Fri 2026-03-06 18:00 to Mon 2026-03-09 09:00" in listed[4]
    assert "more such gaps outside its restricted hours" in gaps[-1]
    # The layered rotation's bottom layer covers all hours: no gap there.
    assert not [p for p in problems if "rotation `primary`" in p.message]


def _who(tmp_path: Path, database_url: str, at: str, rotation: str) -> str:
    config = tmp_path / "layers.yaml"
    config.write_text(LAYERED)
    env = {**os.environ, "ONCALL_CONFIG": str(config), "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "oncall", "who", "--at", at, rotation],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_who_at_names_the_winning_layer_or_the_one_showing_through(tmp_path, database_url):
    # Tuesday noon: layer 2 (daily, weekday hours) wins over layer 1's Kim.
    assert _who(tmp_path, database_url, "2026-03-03 12:00", "primary") == (
        "primary: Jung since Tue 2026-03-03 09:00 EST until Tue 2026-03-03 17:00 EST"
    )
    # Tuesday evening: outside layer 2's hours, layer 1 shows through.
    assert _who(tmp_path, database_url, "2026-03-03 20:00", "primary") == (
        "primary: Kim since Tue 2026-03-03 17:00 EST until Wed 2026-03-04 09:00 EST"
    )
    # Monday 08:30 after the weekend window (sat 10:00 to mon 08:00) closed: layer 1 again.
    assert _who(tmp_path, database_url, "2026-03-16 08:30", "primary") == (
        "primary: Lee since Mon 2026-03-16 08:00 EDT until Mon 2026-03-16 09:00 EDT"
    )
