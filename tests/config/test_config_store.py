"""The live configuration: invalid edits never replace a valid configuration."""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from oncall.clock import FakeClock
from oncall.config import Config, ConfigError
from oncall.configfile.store import ConfigStore

VALID = """\
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
EDITED = VALID.replace("team: [kim, lee]", "team: [lee, kim]")
BROKEN = VALID.replace("team: [kim, lee]", "team: [kim, pakr]")


class Editor:
    """Writes the file like an editor would, with a distinct mtime for every save.

    Setting the mtime explicitly keeps the tests independent of the file system's timestamp
    granularity (two saves within one tick would otherwise look unchanged).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.saves = 0

    def save(self, text: str) -> None:
        self.saves += 1
        self.path.write_text(text)
        stamp = 1_800_000_000 + self.saves
        os.utime(self.path, (stamp, stamp))


@pytest.fixture
def editor(tmp_path: Path) -> Editor:
    editor = Editor(tmp_path / "oncall.yaml")
    editor.save(VALID)
    return editor


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_first_load_of_an_invalid_file_raises(editor: Editor) -> None:
    editor.save(BROKEN)

    with pytest.raises(ConfigError) as caught:
        ConfigStore(editor.path)

    assert [p.line for p in caught.value.problems if p.severity == "error"] == [6]


def test_first_load_of_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ConfigStore(tmp_path / "missing.yaml")


def test_invalid_edit_keeps_the_old_config_and_records_why(
    editor: Editor, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    changes: list[Config] = []
    store = ConfigStore(editor.path, on_change=changes.append, clock=clock)
    before, loaded_at = store.current, store.loaded_at
    clock.advance(timedelta(minutes=1))
    editor.save(BROKEN)

    with caplog.at_level(logging.ERROR, logger="oncall.config"):
        assert store.check_for_change() is False

    assert store.current is before
    assert store.loaded_at == loaded_at
    assert store.valid is False
    (problem,) = [p for p in store.last_error or [] if p.severity == "error"]
    assert (problem.line, problem.column) == (6, 76)
    assert "unknown person `pakr` in rotation `ops`" in problem.message
    assert changes == []
    assert "keeping the previous configuration" in caplog.text
    assert "unknown person `pakr`" in caplog.text


def test_valid_edit_is_picked_up(editor: Editor, clock: FakeClock) -> None:
    changes: list[Config] = []
    store = ConfigStore(editor.path, on_change=changes.append, clock=clock)
    clock.advance(timedelta(minutes=1))
    editor.save(EDITED)

    assert store.check_for_change() is True

    assert store.current.rotations["ops"].team == ("lee", "kim")
    assert store.loaded_at == clock.now()
    assert store.valid is True
    assert store.last_error is None
    assert changes == [store.current]


def test_fixing_a_broken_edit_clears_the_error(editor: Editor) -> None:
    store = ConfigStore(editor.path)
    editor.save(BROKEN)
    store.check_for_change()
    editor.save(EDITED)

    assert store.check_for_change() is True
    assert (store.valid, store.last_error) == (True, None)
    assert store.current.rotations["ops"].team == ("lee", "kim")


def test_reverting_a_broken_edit_is_valid_but_no_change(editor: Editor) -> None:
    changes: list[Config] = []
    store = ConfigStore(editor.path, on_change=changes.append)
    editor.save(BROKEN)
    store.check_for_change()
    editor.save(VALID)

    assert store.check_for_change() is False
    assert store.valid is True
    assert changes == []


@pytest.mark.parametrize(
    "action",
    ["nothing", "touch with the same bytes"],
)
def test_unchanged_file_is_not_reloaded(editor: Editor, action: str) -> None:
    changes: list[Config] = []
    store = ConfigStore(editor.path, on_change=changes.append)
    if action != "nothing":
        editor.save(VALID)

    assert store.check_for_change() is False
    assert changes == []
    assert store.valid is True


def test_deleted_file_keeps_the_old_config(editor: Editor) -> None:
    store = ConfigStore(editor.path)
    before = store.current
    editor.path.unlink()

    assert store.check_for_change() is False
    assert store.current is before
    assert store.valid is False
    assert "cannot read the configuration file" in (store.last_error or [])[0].message


def test_reload_reports_whether_the_config_changed(editor: Editor) -> None:
    store = ConfigStore(editor.path)

    assert store.reload() is False
    editor.save(EDITED)
    assert store.reload() is True
    assert store.reload() is False


def test_a_failing_listener_does_not_stop_the_reload(editor: Editor) -> None:
    def listener(config: Config) -> None:
        raise RuntimeError("listener broke")

    store = ConfigStore(editor.path, on_change=listener)
    editor.save(EDITED)

    assert store.check_for_change() is True
    assert store.current.rotations["ops"].team == ("lee", "kim")


def test_concurrent_pollers_apply_one_edit_once(editor: Editor) -> None:
    changes: list[Config] = []
    store = ConfigStore(editor.path, on_change=changes.append)
    editor.save(EDITED)
    start = threading.Barrier(8)
    results: list[bool] = []

    def poll() -> None:
        start.wait()
        results.append(store.check_for_change())

    threads = [threading.Thread(target=poll) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]
    assert len(changes) == 1
