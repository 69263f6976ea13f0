"""`who` while the configuration file is invalid: it names the problems and answers from the last
valid copy that every valid load keeps beside the file; with no copy it fails, saying why."""

from __future__ import annotations

from pathlib import Path

from oncall.configfile.lastvalid import copy_path
from oncall.configfile.store import ConfigStore
from tests.cli.test_cli import env, oncall  # noqa: F401 (the fixture)

AT = ("--at", "2026-03-10T03:00:00+09:00", "payments")
LEE = "payments: Lee since Mon 2026-03-09 10:00 KST until Mon 2026-03-16 10:00 KST"


def break_file(path: Path) -> None:
    path.write_text(path.read_text().replace('handoff: "mon 10:00"', 'handoff: "someday"'))


def test_who_answers_from_the_last_valid_copy_and_says_so(env):  # noqa: F811
    config = Path(env["ONCALL_CONFIG"])
    assert oncall(env, "who", *AT).returncode == 0  # a valid load keeps the copy
    break_file(config)
    result = oncall(env, "who", *AT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == LEE
    assert f"{config} is invalid (1 error); the first:" in result.stderr
    assert "someday" in result.stderr
    assert f"using the last valid configuration from {copy_path(config)}" in result.stderr


def test_without_a_copy_who_fails_and_names_the_problem(env):  # noqa: F811
    config = Path(env["ONCALL_CONFIG"])
    break_file(config)
    result = oncall(env, "who", *AT)
    assert result.returncode == 2 and result.stdout == ""
    assert "someday" in result.stderr and "no last valid copy" in result.stderr


def test_a_rejected_edit_leaves_the_copy_at_the_last_valid_version(config_path):
    valid = config_path.read_text()
    store = ConfigStore(config_path)
    assert copy_path(config_path).read_text() == valid
    break_file(config_path)
    assert store.reload() is False
    assert copy_path(config_path).read_text() == valid
    config_path.write_text(valid.replace("name: Kim", "name: Kim Minji"))
    assert store.reload() is True
    assert "Kim Minji" in copy_path(config_path).read_text()
