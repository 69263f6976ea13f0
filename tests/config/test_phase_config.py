"""Reading a rotation's `phase` pin, and the re-phasing warning of a checked file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oncall.config.model import Phase
from oncall.configfile import check_config
from tests.schedule.test_rephase import BASE, NOW, WITH_CHOI

ROTATION_LINE = 8  # `payments:` in BASE


def _errors(text: str) -> list[tuple[int, int, str]]:
    config, problems = check_config(text, "oncall.yaml", now=NOW)
    assert config is None
    return [(p.line, p.column, p.message) for p in problems if p.severity == "error"]


def test_phase_is_read_in_the_rotations_time_zone() -> None:
    text = BASE.replace(
        "team: [kim, lee, park]", 'team: [kim, lee, park]\n    phase: {at: "2026-12-07 10:00", person: lee}'
    )
    config, problems = check_config(text, "oncall.yaml", now=NOW)

    assert config is not None, problems
    assert config.rotations["payments"].phase == Phase(datetime(2026, 12, 7, 1, 0, tzinfo=UTC), "lee")


def test_phase_of_a_layer_pins_that_layer() -> None:
    text = BASE.replace(
        """    type: weekly
    handoff: "mon 10:00"
    start: 2026-03-02
    team: [kim, lee, park]""",
        """    layers:
      - {type: weekly, handoff: "mon 10:00", start: 2026-03-02, team: [kim, lee, park],
         phase: {at: "2026-12-07 10:00", person: park}}""",
    )
    config, problems = check_config(text, "oncall.yaml", now=NOW)

    assert config is not None, problems
    assert config.rotations["payments"].layers[0].phase.person == "park"


@pytest.mark.parametrize(
    ("phase", "line", "column", "message"),
    [
        (
            '{at: "2026-12-07 10:00", person: choi}',
            13,
            45,
            "`person` of `phase` of rotation `payments` must be in its team (kim, lee, park), not `choi`",
        ),
        ('{at: "2026-12-07 10:00", person: lea}', 13, 45, "did you mean `lee`?"),
        (
            '{at: "monday", person: lee}',
            13,
            17,
            "`at` of `phase` of rotation `payments`: `monday` is not a date and time",
        ),
        ("{person: lee}", 13, 12, "`phase` of rotation `payments` is missing `at`"),
        (
            '{at: "2026-12-07 10:00", person: lee, who: kim}',
            13,
            50,
            "unknown key `who` in `phase` of rotation `payments`",
        ),
    ],
    ids=["not in the team", "a typo", "not a time", "no at", "unknown key"],
)
def test_a_bad_phase_is_an_error_at_its_line(phase: str, line: int, column: int, message: str) -> None:
    text = BASE.replace("team: [kim, lee, park]", f"team: [kim, lee, park]\n    phase: {phase}")

    found = [(ln, col) for ln, col, text_ in _errors(text) if message in text_]
    assert found == [(line, column)], _errors(text)


def test_a_re_phasing_edit_warns_at_the_rotation_when_the_previous_file_is_known() -> None:
    previous, _ = check_config(BASE, "oncall.yaml", now=NOW)
    config, problems = check_config(WITH_CHOI, "new.yaml", now=NOW, previous=previous)

    assert config is not None
    (warning,) = [p for p in problems if "re-phases" in p.message]
    assert (warning.severity, warning.line) == ("warning", ROTATION_LINE)
    assert warning.message.startswith("rotation `payments` re-phases: on call now Lee → Kim;")
    assert 'phase: {at: "2026-12-07 10:00", person: lee}' in warning.message
    # Without a previous configuration there is nothing to compare with.
    _, alone = check_config(WITH_CHOI, "new.yaml", now=NOW)
    assert not [p for p in alone if "re-phases" in p.message]
