"""A configuration file bind-mounted on its own never sees host edits: detected from mountinfo,
warned about in the log at start, in /readyz and /healthz (readiness itself is unchanged)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from oncall.configfile import mounts
from oncall.configfile.mounts import is_single_file_mount, mount_points, single_file_mount_warning
from oncall.configfile.store import ConfigStore
from tests.conftest import DEMO_CONFIG

ROOT_LINE = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"
PROC_LINE = "23 22 0:21 / /proc rw,nosuid - proc proc rw"


def mount_line(point: str, mount_id: int = 40) -> str:
    """One mountinfo line of a bind mount at `point` (spaces escaped as the kernel does)."""
    escaped = point.replace(" ", "\\040")
    return f"{mount_id} 22 8:1 /srv/oncall/oncall.yaml {escaped} ro,relatime - ext4 /dev/sda1 rw"


def fake_mountinfo(tmp_path: Path, *points: str) -> Path:
    path = tmp_path / "mountinfo"
    lines = [ROOT_LINE, PROC_LINE, *(mount_line(p, 40 + i) for i, p in enumerate(points))]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_mount_points_are_field_five_unescaped():
    text = "\n".join([ROOT_LINE, PROC_LINE, mount_line("/etc/on call/oncall.yaml")])
    assert mount_points(text) == {"/", "/proc", "/etc/on call/oncall.yaml"}


def test_a_file_that_is_a_mount_point_is_a_single_file_mount(tmp_path):
    config = tmp_path / "oncall.yaml"
    config.write_text("x: 1\n")
    assert is_single_file_mount(config, fake_mountinfo(tmp_path, str(config)).read_text())


@pytest.mark.parametrize("mounted", ["folder", "nothing"])
def test_a_mounted_directory_or_no_mount_is_fine(tmp_path, mounted):
    folder = tmp_path / "etc"
    folder.mkdir()
    config = folder / "oncall.yaml"
    config.write_text("x: 1\n")
    points = [str(folder)] if mounted == "folder" else []
    assert single_file_mount_warning(config, fake_mountinfo(tmp_path, *points)) is None


def test_a_file_reached_through_a_symlink_is_found_by_its_real_path(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("x: 1\n")
    link = tmp_path / "oncall.yaml"
    link.symlink_to(real)
    assert single_file_mount_warning(link, fake_mountinfo(tmp_path, str(real))) is not None


def test_no_mountinfo_outside_linux_detects_nothing(tmp_path):
    config = tmp_path / "oncall.yaml"
    config.write_text("x: 1\n")
    assert single_file_mount_warning(config, tmp_path / "absent") is None


def test_the_warning_names_the_fix(tmp_path):
    config = tmp_path / "oncall.yaml"
    config.write_text("x: 1\n")
    warning = single_file_mount_warning(config, fake_mountinfo(tmp_path, str(config)))
    assert warning is not None
    assert f"configuration file {config} is mounted on its own" in warning
    assert f"Mount the directory instead (docker run -v HOST_DIR:{tmp_path}:ro)" in warning


@pytest.fixture
def mounted_config(tmp_path, config_path, monkeypatch) -> Path:
    """The test's configuration file listed as a mount point of its own."""
    monkeypatch.setattr(mounts, "MOUNTINFO", fake_mountinfo(tmp_path, str(config_path)))
    return config_path


def test_the_store_logs_the_warning_once_at_start(mounted_config, caplog):
    with caplog.at_level(logging.WARNING, logger="oncall.config"):
        store = ConfigStore(mounted_config)
    assert store.mount_warning is not None
    logged = [r.getMessage() for r in caplog.records if "mounted on its own" in r.getMessage()]
    assert logged == [store.mount_warning]


def test_a_normal_file_gives_no_warning(tmp_path, monkeypatch, caplog):
    config = tmp_path / "etc" / "oncall.yaml"
    config.parent.mkdir()
    shutil.copy(DEMO_CONFIG, config)
    monkeypatch.setattr(mounts, "MOUNTINFO", fake_mountinfo(tmp_path, str(config.parent)))
    with caplog.at_level(logging.WARNING, logger="oncall.config"):
        assert ConfigStore(config).mount_warning is None
    assert not [r for r in caplog.records if "mounted on its own" in r.getMessage()]


@pytest.fixture
def settings(settings, mounted_config):
    """The service's settings, built after the fake mountinfo is in place."""
    return settings


def test_readyz_and_healthz_carry_the_warning_and_stay_ready(client, runtime):
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["status"] == "ready"
    assert ready.json["warnings"] == [runtime.config_store.mount_warning]
    assert "mounted on its own" in client.get("/healthz").json["config"]["mount_warning"]
