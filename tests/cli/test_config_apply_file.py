"""`config apply FILE`: check it, show what changes (text and shifts), then write it in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import env, oncall  # noqa: F401 (the fixture)

SWAP = ("team: [kim, lee, park]", "team: [kim, park, lee]")


@pytest.fixture(autouse=True)
def no_service(env, tmp_path):  # noqa: F811
    """No pidfile: a service someone runs from this checkout is never signalled by these tests."""
    env["ONCALL_PIDFILE"] = str(tmp_path / "none.pid")


def test_apply_file_shows_the_diff_then_replaces_the_configured_file(env, tmp_path):  # noqa: F811
    configured = Path(env["ONCALL_CONFIG"])
    new = tmp_path / "new.yaml"
    new.write_text(configured.read_text().replace(*SWAP))
    # Swapping Lee and Park re-phases the rotation: applied only with --yes (tests/cli/test_rephase_cli.py).
    result = oncall(env, "config", "apply", str(new), "--yes")
    assert result.returncode == 0, result.stderr
    assert f"--- {configured} (current)" in result.stdout and f"+++ {new} (new)" in result.stdout
    assert "-    team: [kim, lee, park]" in result.stdout and "+    team: [kim, park, lee]" in result.stdout
    assert "Park" in result.stdout and "Lee" in result.stdout  # the shift diff names who moves
    assert f"applied: wrote {new} to {configured}" in result.stdout
    assert configured.read_text() == new.read_text()
    assert not list(configured.parent.glob(".oncall.yaml.*"))  # no temporary file left behind


def test_apply_an_invalid_file_writes_nothing(env, tmp_path):  # noqa: F811
    configured = Path(env["ONCALL_CONFIG"])
    before = configured.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(before.replace("team: [kim, lee, park]", "team: [kim, lee, pakr]"))
    result = oncall(env, "config", "apply", str(bad))
    assert result.returncode == 1
    assert "pakr" in result.stderr and "not applied" in result.stderr
    assert configured.read_text() == before


def test_apply_the_same_content_writes_nothing(env, tmp_path):  # noqa: F811
    configured = Path(env["ONCALL_CONFIG"])
    same = tmp_path / "same.yaml"
    same.write_text(configured.read_text())
    mtime = configured.stat().st_mtime_ns
    result = oncall(env, "config", "apply", str(same))
    assert result.returncode == 0 and "already holds this configuration" in result.stdout
    assert configured.stat().st_mtime_ns == mtime


def test_apply_without_a_file_checks_the_configured_one(env):  # noqa: F811
    result = oncall(env, "config", "apply")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "no running service found" in result.stdout
