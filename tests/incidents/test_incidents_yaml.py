"""The optional `incidents:` section: intervals, default role sources, and every error at its line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.config.model import DEFAULT_UPDATE_EVERY, Target
from oncall.configfile import check_config

# A small valid file; the `incidents` section starts at line 13.
BASE = """\
timezone: Asia/Seoul
people:
  kim: {name: Kim, phone: "+82 10-1234-5601"}
  lee: {name: Lee, phone: "+82 10-1234-5602"}
rotations:
  ops: {type: weekly, handoff: "mon 10:00", start: 2026-03-02, team: [kim, lee]}
routes:
  - escalation: ops
escalations:
  ops:
    levels:
      - notify: {rotation: ops}
"""


def load(section: str):
    return check_config(BASE + section, "oncall.yaml")


def test_without_the_section_the_defaults_hold() -> None:
    config, problems = load("")
    assert config is not None, problems
    assert config.incidents.update_every == DEFAULT_UPDATE_EVERY
    assert "SEV-4" not in config.incidents.update_every
    assert config.incidents.roles == {}


def test_intervals_and_role_sources_are_read() -> None:
    config, problems = load(
        "incidents:\n"
        "  update_every: {SEV-1: 10m, SEV-3: ~, SEV-4: 4h}\n"
        "  commander: {rotation: ops}\n"
        "  scribe: {person: lee}\n"
    )
    assert config is not None, problems
    assert config.incidents.update_every == {
        "SEV-1": timedelta(minutes=10),
        "SEV-2": timedelta(minutes=15),
        "SEV-4": timedelta(hours=4),
    }
    assert config.incidents.roles == {
        "commander": Target("rotation", "ops"),
        "scribe": Target("person", "lee"),
    }


@pytest.mark.parametrize(
    ("section", "line", "column", "message"),
    [
        ("incidents:\n  reminders: 5m\n", 14, 3, "unknown key `reminders` in `incidents`"),
        (
            "incidents:\n  comander: {person: kim}\n",
            14,
            3,
            "unknown key `comander` in `incidents` — did you mean `commander`?",
        ),
        (
            "incidents:\n  update_every: {SEV-5: 15m}\n",
            14,
            18,
            "unknown key `SEV-5` in `update_every` of `incidents`",
        ),
        (
            "incidents:\n  update_every: {SEV-1: 15}\n",
            14,
            25,
            "`SEV-1` in `update_every` of `incidents`: duration `15` needs a unit",
        ),
        (
            "incidents:\n  update_every: {SEV-1: 0}\n",
            14,
            25,
            "`SEV-1` in `update_every` of `incidents` must be longer than 0",
        ),
        ("incidents:\n  update_every: 15m\n", 14, 17, "`update_every` of `incidents` must be a mapping"),
        (
            "incidents:\n  commander: {rotation: opz}\n",
            14,
            25,
            "unknown rotation `opz` in `commander` of `incidents` — did you mean `ops`?",
        ),
        (
            "incidents:\n  scribe: {person: lea}\n",
            14,
            20,
            "unknown person `lea` in `scribe` of `incidents` — did you mean `lee`?",
        ),
        (
            "incidents:\n  sme: {person: kim, rotation: ops}\n",
            14,
            8,
            "`sme` of `incidents` names one `rotation` or one `person`",
        ),
        ("incidents:\n  sme: {team: ops}\n", 14, 9, "unknown key `team` in `sme` of `incidents`"),
        ("incidents:\n  sme: kim\n", 14, 8, "`sme` of `incidents` must be a mapping"),
        ("incidents: [commander]\n", 13, 12, "`incidents` must be a mapping"),
    ],
)
def test_each_problem_is_reported_at_its_line_and_column(
    section: str, line: int, column: int, message: str
) -> None:
    config, problems = load(section)

    assert config is None
    errors = [(p.line, p.column, p.message) for p in problems if p.severity == "error"]
    assert any((p_line, p_col) == (line, column) and message in text for p_line, p_col, text in errors), (
        errors
    )


def test_every_problem_of_the_section_is_reported_at_once() -> None:
    _, problems = load(
        "incidents:\n  update_every: {SEV-9: 1h, SEV-2: soon}\n  commander: {person: nobody}\n"
    )
    messages = " | ".join(p.message for p in problems if p.severity == "error")
    assert "SEV-9" in messages and "`soon`" in messages and "unknown person `nobody`" in messages
