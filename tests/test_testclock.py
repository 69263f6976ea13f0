"""The test-only clock of a served process: off unless ONCALL_TEST_CLOCK_FILE names a file."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from oncall.clock import Clock
from oncall.runtime import build_runtime
from oncall.settings import Settings
from oncall.testclock import ENV, OffsetFileClock, clock_from_env


def write(path: Path, text: str) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(text)
    os.replace(partial, path)


def test_without_the_variable_the_clock_is_the_wall_clock():
    clock = clock_from_env({"ONCALL_TEST_CLOCK": "x", "PATH": "/bin"})
    assert type(clock) is Clock


def test_the_runtime_reads_the_variable_from_the_environment(tmp_path, monkeypatch):
    write(tmp_path / "clock", "3600")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'oncall.db'}")
    monkeypatch.delenv(ENV, raising=False)
    assert type(build_runtime(settings).clock) is Clock
    monkeypatch.setenv(ENV, str(tmp_path / "clock"))
    runtime = build_runtime(settings)
    assert runtime.clock.now() - datetime.now(UTC) > timedelta(minutes=59)


def test_the_offset_follows_the_file_as_it_is_replaced(tmp_path):
    path = tmp_path / "clock"
    clock = clock_from_env({ENV: str(path)})
    assert isinstance(clock, OffsetFileClock)
    assert clock.offset() == timedelta(0)  # no file yet: the wall clock
    write(path, "60.0\n")
    assert clock.offset() == timedelta(seconds=60)
    write(path, "65.5\n")  # same size, written within the same timestamp tick: a new inode
    assert clock.offset() == timedelta(seconds=65.5)
    assert abs(clock.now() - datetime.now(UTC) - timedelta(seconds=65.5)) < timedelta(seconds=1)


def test_a_malformed_or_missing_file_keeps_the_last_offset(tmp_path):
    path = tmp_path / "clock"
    clock = OffsetFileClock(path)
    write(path, "120")
    assert clock.offset() == timedelta(seconds=120)
    write(path, "soon")
    assert clock.offset() == timedelta(seconds=120)
    path.unlink()
    assert clock.offset() == timedelta(seconds=120)
