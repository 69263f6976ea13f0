"""The command line, run as operators run it: `python -m oncall ...` in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from oncall.settings import ROOT
from tests.conftest import stored_text


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    config = tmp_path / "oncall.yaml"
    shutil.copy(ROOT / "config" / "oncall.yaml", config)
    return {**os.environ, "ONCALL_CONFIG": str(config), "DATABASE_URL": database_url}


def oncall(env, *args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oncall", *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_who_at_a_time_names_the_person_and_window_in_local_time(env):
    result = oncall(env, "who", "--at", "2026-03-10T03:00:00+09:00", "payments")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == "payments: Lee since Mon 2026-03-09 10:00 KST until Mon 2026-03-16 10:00 KST"
    )


def test_who_unknown_rotation_is_a_clear_error(env):
    result = oncall(env, "who", "paymnts")
    assert result.returncode == 2 and "unknown rotation 'paymnts'" in result.stderr


def test_schedule_preview_is_a_table_of_weeks(env):
    result = oncall(env, "schedule", "preview", "payments", "--weeks", "3", "--from", "2026-03-02T00:00:00Z")
    assert result.returncode == 0, result.stderr
    for name in ("Kim", "Lee", "Park"):
        assert name in result.stdout
    assert "168" in result.stdout


def test_config_check_reports_each_problem_with_its_line(env, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(env["ONCALL_CONFIG"]).read_text().replace("team: [kim, lee, park]", "team: [kim, lee, pakr]")
    )
    result = oncall(env, "config", "check", str(bad))
    assert result.returncode == 1
    assert "bad.yaml:" in result.stderr and "pakr" in result.stderr and "park" in result.stderr


def test_config_diff_shows_shift_changes_before_applying(env, tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(
        Path(env["ONCALL_CONFIG"]).read_text().replace("team: [kim, lee, park]", "team: [kim, park, lee]")
    )
    result = oncall(env, "config", "diff", str(new), "--weeks", "26")
    assert result.returncode == 0, result.stderr
    assert "Park" in result.stdout and "Lee" in result.stdout
    same = oncall(env, "config", "diff", env["ONCALL_CONFIG"])
    assert "no shift changes" in same.stdout


def test_token_create_prints_the_token_alone_on_the_last_line_and_stores_only_its_hash(env):
    result = oncall(env, "token", "create", "alertmanager")
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("oc_") and len(token) > 40
    stored = stored_text(env["DATABASE_URL"])
    assert "alertmanager" in stored and token not in stored
    assert "alertmanager" in oncall(env, "token", "list").stdout
    assert oncall(env, "token", "create", "alertmanager").returncode == 2  # exists already
    assert oncall(env, "token", "revoke", "alertmanager").returncode == 0
    assert "revoked" in oncall(env, "token", "list").stdout


def test_reply_simulates_an_sms_reply(env):
    result = oncall(env, "reply", "kim", "help")
    assert result.returncode == 0 and "ack" in result.stdout


def test_ui_user_sets_a_password(env):
    assert oncall(env, "ui", "user", "kim", stdin="short\n").returncode == 2
    result = oncall(env, "ui", "user", "kim", stdin="correct horse battery\n")
    assert result.returncode == 0 and "kim can sign in" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("schedule", "preview", "payments", "--weeks", "999999999"),
        ("schedule", "preview", "payments", "--weeks", "0"),
        ("schedule", "preview", "payments", "--weeks", "lots"),
        ("config", "diff", "x.yaml", "--weeks", "-1"),
        ("outbox", "--limit", "99999999999999999999"),
        ("serve", "--port", "70000"),
        ("serve", "--workers", "0"),
    ],
)
def test_numeric_arguments_out_of_range_are_an_argparse_error(env, args):
    result = oncall(env, *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error: argument" in result.stderr and (
        "out of range" in result.stderr or "whole number" in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("who", "--at", "9999-12-31T23:00-05:00"),
            "--at '9999-12-31T23:00-05:00': is outside the years 2000 to 2199",
        ),
        (("who", "--at", "2026-12-25 09:00 KST"), "KST is a time zone abbreviation"),
        (("who", "--at", "soon"), "--at 'soon': is not a time; write one of: "),
        (
            ("schedule", "preview", "payments", "--from", "+99999999d"),
            "--from '+99999999d': is outside the years",
        ),
        (("audit", "--since", "99999999d"), "--since '99999999d': reaches back more than 10 years"),
    ],
)
def test_bad_time_arguments_are_one_line_and_exit_2(env, args, message):
    result = oncall(env, *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_who_reads_a_time_without_offset_in_the_rotation_zone(env):
    result = oncall(env, "who", "--at", "2026-03-10 03:00", "payments")
    assert result.returncode == 0, result.stderr
    assert "payments: Lee since Mon 2026-03-09 10:00 KST" in result.stdout


def test_config_check_refuses_a_file_over_the_size_limit(env, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(Path(env["ONCALL_CONFIG"]).read_text() + "#" * 2_000_000 + "\n")
    result = oncall(env, "config", "check", str(big))
    assert result.returncode == 2
    assert "larger than 1,000,000 bytes" in result.stderr and "Traceback" not in result.stderr
