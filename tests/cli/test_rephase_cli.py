"""`config check NEW.yaml` and `config diff NEW.yaml` make a re-phasing edit impossible to miss."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli.test_cli import oncall
from tests.schedule.test_rephase import BASE, NOW, PINNED, WITH_CHOI


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The configured file is BASE, and the commands' clock reads Tue 2026-12-08 14:00 in Seoul."""
    config = tmp_path / "oncall.yaml"
    config.write_text(BASE)
    clock = tmp_path / "clock"
    clock.write_text(f"{(NOW - datetime.now(UTC)).total_seconds():.6f}\n")
    return {
        **os.environ,
        "ONCALL_CONFIG": str(config),
        "DATABASE_URL": database_url,
        "ONCALL_TEST_CLOCK_FILE": str(clock),
    }


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "new.yaml"
    path.write_text(text)
    return str(path)


def test_config_check_of_a_new_file_warns_and_shows_before_and_after(env, tmp_path):
    result = oncall(env, "config", "check", _file(tmp_path, WITH_CHOI))

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("!! Rotation payments re-phases: on call now Lee → Kim\n")
    assert "new.yaml:8:3: warning: rotation `payments` re-phases: on call now Lee → Kim;" in result.stdout
    assert 'phase: {at: "2026-12-07 10:00", person: lee}' in result.stdout


def test_config_diff_puts_the_re_phasing_block_first(env, tmp_path):
    result = oncall(env, "config", "diff", _file(tmp_path, WITH_CHOI), "--weeks", "4")

    assert result.returncode == 0, result.stderr
    block, _, shifts = result.stdout.partition("\n\n")
    assert block.startswith("!! Rotation payments re-phases: on call now Lee → Kim")
    assert "Mon 2026-12-14 10:00   Park         Lee           <- changes" in block
    assert shifts.startswith("payments (times in Asia/Seoul):")


def test_with_the_pin_check_and_diff_are_quiet_about_re_phasing(env, tmp_path):
    new = _file(tmp_path, PINNED)
    check = oncall(env, "config", "check", new)
    diff = oncall(env, "config", "diff", new, "--weeks", "4")

    assert check.returncode == diff.returncode == 0, check.stderr + diff.stderr
    assert "re-phases" not in check.stdout + diff.stdout
    # Choi's first turn is the only change in the next four weeks: Mon 2026-12-21, Kim's before.
    assert (
        "Mon 2026-12-21 10:00 KST -> Mon 2026-12-28 10:00 KST (168h): Kim (regular) -> Choi (regular)"
        in diff.stdout
    )


def test_config_apply_refuses_a_re_phasing_file_from_a_script_without_yes(env, tmp_path):
    configured = Path(env["ONCALL_CONFIG"])
    env["ONCALL_PIDFILE"] = str(tmp_path / "none.pid")  # never signal a service someone runs here
    new = _file(tmp_path, WITH_CHOI)

    refused = oncall(env, "config", "apply", new)  # stdin is a pipe, not a terminal: nobody to ask
    assert refused.returncode == 1
    assert "!! Rotation payments re-phases: on call now Lee → Kim" in refused.stdout
    assert "not applied: rotation `payments` re-phases (see above)" in refused.stderr
    assert configured.read_text() == BASE

    applied = oncall(env, "config", "apply", new, "--yes")
    assert applied.returncode == 0, applied.stderr
    assert configured.read_text() == WITH_CHOI


def test_config_apply_of_a_pinned_file_needs_no_yes(env, tmp_path):
    env["ONCALL_PIDFILE"] = str(tmp_path / "none.pid")
    result = oncall(env, "config", "apply", _file(tmp_path, PINNED))

    assert result.returncode == 0, result.stderr
    assert Path(env["ONCALL_CONFIG"]).read_text() == PINNED
