"""Hostile configuration files: huge, deeply nested, exploding aliases, dates at the end of time.

Each is refused with a line-numbered problem (never a traceback, never a stalled worker), and
on reload the last good configuration keeps running.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oncall.configfile import check_config
from oncall.configfile.loader import load_config
from oncall.configfile.store import ConfigStore
from oncall.schedule import on_call_at, preview_table
from tests.config.test_config_store import VALID, Editor

NEW_YORK = (
    VALID.replace("timezone: Asia/Seoul", "timezone: America/New_York")
    .replace('"+82 10-1234-5601"', '"+1 212-555-0101"')
    .replace('"+82 10-1234-5602"', '"+1 212-555-0102"')
)


def _errors(text: str, **kwargs) -> list[str]:
    config, problems = check_config(text, "oncall.yaml", now=datetime(2026, 3, 2, tzinfo=UTC), **kwargs)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert config is None or not errors
    return errors


def _laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\npeople: *a{levels - 1}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "people: " + "[" * 5000 + "]" * 5000 + "\n",
            "oncall.yaml:1:58: error: the YAML is refused: lists and mappings nested more than 50 deep",
        ),
        ("x:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(300)), "nested more than 50 deep"),
        (_laughs(9), "aliases expand to more than 200000 values"),
        (
            "timezone: UTC\npeople: &a [*a]\n",
            "oncall.yaml:2:9: error: the YAML is refused: an alias refers to the list or mapping that contains it",
        ),
        ("timezone: UTC\npeople: &a {x: *a}\n", "refers to the list or mapping that contains it"),
        ("a: &a x\n" + "".join(f"b{i}: *a\n" for i in range(501)), "more than 500 aliases"),
    ],
    ids=[
        "deep-flow-lists",
        "deep-block-mappings",
        "billion-laughs",
        "recursive-list",
        "recursive-mapping",
        "many-aliases",
    ],
)
def test_yaml_bombs_are_refused_at_their_line_quickly(text, expected):
    started = time.monotonic()
    errors = _errors(text)
    assert time.monotonic() - started < 2
    assert len(errors) == 1 and expected in errors[0], errors


def test_ordinary_anchors_and_merge_keys_still_work():
    text = VALID.replace(
        '  lee: {name: Lee, phone: "+82 10-1234-5602"}', "  lee: {name: Lee, phone: *p}"
    ).replace('phone: "+82 10-1234-5601"', 'phone: &p "+82 10-1234-5601"')
    assert _errors(text) == []


def test_a_file_over_the_size_limit_is_refused_unread():
    text = VALID + "#" * 2_000_000 + "\n"
    started = time.monotonic()
    errors = _errors(text)
    assert time.monotonic() - started < 1
    assert errors == [
        "oncall.yaml:1:1: error: the file is larger than 1,000,000 bytes, the most a configuration "
        "may be (ONCALL_MAX_CONFIG_BYTES); it was not read"
    ]
    assert _errors(VALID + "#" * 100 + "\n", max_bytes=len(VALID) + 101) == []


def test_the_size_limit_counts_bytes_not_characters():
    text = VALID + "# " + "한" * 400_000 + "\n"  # 1.2 MB in UTF-8, 400k characters
    assert "larger than 1,000,000 bytes" in _errors(text)[0]


def test_the_size_limit_is_a_setting(tmp_path: Path, monkeypatch):
    path = tmp_path / "oncall.yaml"
    path.write_text(VALID)
    monkeypatch.setenv("ONCALL_MAX_CONFIG_BYTES", "100")
    with pytest.raises(Exception, match="larger than 100 bytes"):
        load_config(path)
    monkeypatch.setenv("ONCALL_MAX_CONFIG_BYTES", "100000")
    assert load_config(path).people


def test_on_reload_an_oversize_edit_is_rejected_and_the_last_good_config_keeps_running(tmp_path: Path):
    editor = Editor(tmp_path / "oncall.yaml")
    editor.save(VALID)
    store = ConfigStore(editor.path)
    good = store.current
    editor.save(VALID.replace("team: [kim, lee]", "team: [lee, kim]") + "#" * 1_100_000 + "\n")
    assert store.check_for_change() is False
    assert store.current is good
    assert store.last_error and "larger than 1,000,000 bytes" in store.last_error[0].message


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            '  - {rotation: ops, person: lee, from: "9999-12-31 20:00", to: "9999-12-31 23:00"}\n',
            "oncall.yaml:14:40: error: `from` of override 1: `9999-12-31 20:00` is not between the years 2000 and 2199",
        ),
        (
            '  - {rotation: ops, person: lee, from: "2026-03-20 18:00", to: "9999-12-31 23:00"}\n',
            "oncall.yaml:14:64: error: `to` of override 1: `9999-12-31 23:00` is not between the years 2000 and 2199",
        ),
    ],
)
def test_override_dates_at_the_end_of_time_are_a_line_numbered_error(override, expected):
    errors = _errors(NEW_YORK + "overrides:\n" + override)
    assert expected in errors, errors


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "start: 2026-03-02",
            "start: 9999-12-27",
            "`start` of rotation `ops`: `9999-12-27` is not between the years",
        ),
        ("start: 2026-03-02", "start: 1999-12-27", "`1999-12-27` is not between the years 2000 and 2199"),
        (
            '  kim: {name: Kim, phone: "+82 10-1234-5601"}',
            '  kim: {name: Kim, phone: "+82 10-1234-5601", unavailable: [{from: 2026-04-01, to: 9999-12-31}]}',
            "`to` of time off 1 of person `kim`: `9999-12-31` is not between the years 2000 and 2199",
        ),
    ],
)
def test_rotation_start_and_time_off_are_bounded_too(old, new, fragment):
    errors = _errors(VALID.replace(old, new))
    assert len(errors) == 1 and fragment in errors[0], errors


def test_the_last_accepted_moment_works_in_every_schedule_function():
    override = '  - {rotation: ops, person: lee, from: "2199-12-31 20:00", to: "2199-12-31 23:59"}\n'
    config, problems = check_config(NEW_YORK + "overrides:\n" + override, "oncall.yaml")
    assert config is not None, problems
    at = datetime(2200, 1, 1, 2, 0, tzinfo=UTC)  # 21:00 on 2199-12-31 in New York
    assert on_call_at(config, "ops", at).person == "lee"
    assert "Lee" in preview_table(config, "ops", datetime(2199, 12, 1, tzinfo=UTC), 520)


def test_config_check_of_an_override_at_the_end_of_time_is_one_error_not_a_traceback(tmp_path: Path):
    import subprocess
    import sys

    from oncall.settings import ROOT

    path = tmp_path / "oncall.yaml"
    path.write_text(
        NEW_YORK
        + 'overrides:\n  - {rotation: ops, person: lee, from: "2026-03-20 18:00", to: "9999-12-31 23:00"}\n'
    )
    env = {**os.environ, "ONCALL_CONFIG": str(path)}
    result = subprocess.run(
        [sys.executable, "-m", "oncall", "config", "check", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "`9999-12-31 23:00` is not between the years 2000 and 2199" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        # Found by tests/property: an OverflowError traceback, and a 5-minute `config check`.
        ("type: weekly", "every: 99999999999w", "duration `99999999999w` is longer than 10 years (3650d)"),
        ("type: weekly", "every: 999999w", "duration `999999w` is longer than 10 years"),
        ("type: weekly", "every: 53w", "`every` of rotation `ops` must be from 1h to 52w"),
        ("type: weekly", "every: 1s", "`every` of rotation `ops` must be from 1h to 52w"),
        (
            "routes:",
            "calendar: {horizon_ahead: 3650d}\nroutes:",
            "`horizon_ahead` of `calendar` must be at most 104w",
        ),
    ],
)
def test_rotation_periods_and_horizons_are_bounded_so_the_check_stays_fast(old, new, fragment):
    started = time.monotonic()
    errors = _errors(VALID.replace(old, new))
    assert time.monotonic() - started < 2
    assert len(errors) == 1 and fragment in errors[0], errors
