"""`python -m oncall migrate` as operators run it: files in, YAML out, `config check` and `who` on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from oncall.settings import ROOT
from oncall.vendors.errors import VendorDataError
from oncall.vendors.recognise import kind_of
from oncall.vendors.run import migrate, read_paths
from oncall.vendors.verify import load_text
from tests.vendors.helpers import NOW, fixture_dir


def oncall(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "oncall", *args],
        cwd=ROOT,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_writes_a_file_that_config_check_and_who_accept(tmp_path, database_url):
    out = tmp_path / "imported.yaml"
    result = oncall(
        "migrate", "pagerduty", str(fixture_dir("pagerduty")), "--out", str(out), "--now", "2027-01-15T00:00Z"
    )
    assert result.returncode == 0, result.stderr
    assert (
        "1 rotation (2 layers), 1 escalation (3 levels), 5 people, 1 without phone (park_jo)" in result.stderr
    )
    assert "same person at every instant" in out.read_text()
    check = oncall("config", "check", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    env = {**os.environ, "ONCALL_CONFIG": str(out), "DATABASE_URL": database_url}
    who = oncall("who", "--at", "2027-03-14T09:00-04:00", "platform_primary", env=env)
    assert who.returncode == 0, who.stderr
    assert "Lee Ana" in who.stdout


@pytest.mark.parametrize("vendor", ["opsgenie", "grafana-oncall"])
def test_each_vendor_output_passes_config_check(tmp_path, vendor):
    out = tmp_path / "imported.yaml"
    result = oncall(
        "migrate", vendor, str(fixture_dir(vendor)), "--out", str(out), "--now", "2027-01-15T00:00Z"
    )
    assert result.returncode == 0, result.stderr
    check = oncall("config", "check", str(out))
    assert check.returncode == 0, check.stdout + check.stderr


RECOGNISED = [
    ("pagerduty", "schedule_primary.json", "schedule"),
    ("pagerduty", "escalation_policies.json", "escalation_policies"),
    ("pagerduty", "users.json", "users"),
    ("opsgenie", "schedule_sre_berlin.json", "schedules"),
    ("opsgenie", "escalations.json", "escalations"),
    ("opsgenie", "users.json", "users"),
    ("grafana-oncall", "schedules.json", "schedules"),
    ("grafana-oncall", "on_call_shifts.json", "on_call_shifts"),
    ("grafana-oncall", "escalation_chains.json", "escalation_chains"),
    ("grafana-oncall", "escalation_policies.json", "escalation_policies"),
    ("grafana-oncall", "users.json", "users"),
]


@pytest.mark.parametrize(("vendor", "name", "kind"), RECOGNISED)
def test_each_file_kind_is_recognised_from_its_keys(vendor, name, kind):
    body = json.loads((fixture_dir(vendor) / name).read_text())
    assert kind_of(vendor, name, body) == kind


def test_an_unknown_file_names_its_keys():
    with pytest.raises(
        VendorDataError, match=r"x\.json: is not a file this migration reads \(top-level keys: incidents"
    ):
        kind_of("pagerduty", "x.json", {"incidents": []})


BAD = [
    # (file text, what stderr must say)
    ("{not json", "is not valid JSON"),
    (
        '{"schedule": {"id": "P1", "name": "S", "schedule_layers": []}}',
        "schedule field `time_zone`: is missing",
    ),
    (
        '{"schedule": {"id": "P1", "name": "S", "time_zone": "Mars/Base", "schedule_layers": []}}',
        "schedule field `time_zone`: `Mars/Base` is not an IANA time zone",
    ),
    (
        '{"schedule": {"id": "P1", "name": "S", "time_zone": "UTC", "schedule_layers": [{"start": "2026-01-01T00:00:00Z",'
        ' "rotation_virtual_start": "yesterday", "rotation_turn_length_seconds": 86400, "users": []}]}}',
        "schedule schedule_layers[0] field `rotation_virtual_start`: `yesterday` is not an ISO 8601 time",
    ),
    (
        '{"schedule": {"id": "P1", "name": "S", "time_zone": "UTC", "schedule_layers": [{"start": "2026-01-01T00:00:00Z",'
        ' "rotation_virtual_start": "2026-01-01T00:00:00Z", "rotation_turn_length_seconds": "day", "users": []}]}}',
        "field `rotation_turn_length_seconds`: has the wrong type (str)",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_file_is_one_clear_line_exit_1_and_nothing_written(tmp_path, text, message):
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    out = tmp_path / "out.yaml"
    result = oncall("migrate", "pagerduty", str(bad), "--out", str(out))
    assert result.returncode == 1
    assert str(bad) in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


HOSTILE = 'Eve: x\n# injected\nrotations: {evil: 1} "quoted" \\ \u2028 # tail'


def test_hostile_vendor_names_stay_inside_their_strings(tmp_path):
    users = json.loads((fixture_dir("pagerduty") / "users.json").read_text())
    users["users"][0]["name"] = HOSTILE
    schedule = json.loads((fixture_dir("pagerduty") / "schedule_primary.json").read_text())
    schedule["schedule"]["name"] = HOSTILE
    schedule["schedule"]["schedule_layers"][0]["name"] = HOSTILE
    (tmp_path / "users.json").write_text(json.dumps(users))
    (tmp_path / "schedule.json").write_text(json.dumps(schedule))
    result = migrate("pagerduty", read_paths([tmp_path]), NOW, 12, check=True)
    loaded = yaml.safe_load(result.text)
    assert set(loaded) == {"timezone", "people", "rotations"}
    person = loaded["people"]["eve_x_injected_rotations_evil_1_quoted_t"]
    assert person["name"] == HOSTILE
    assert list(loaded["rotations"]) == ["eve_x_injected_rotations_evil_1_quoted_t"]
    assert all(not line.startswith("rotations: {evil") for line in result.text.splitlines())
    config = load_text(result.text)
    assert config.people["eve_x_injected_rotations_evil_1_quoted_t"].name == HOSTILE
    assert "same person at every instant" in result.text


def test_names_yaml_reads_as_booleans_get_a_safe_key(tmp_path):
    users = {"users": [{"id": "P1", "name": "yes"}, {"id": "P2", "name": "No"}, {"id": "P3", "name": "123"}]}
    (tmp_path / "users.json").write_text(json.dumps(users))
    result = migrate("pagerduty", read_paths([tmp_path]), NOW, 12, check=False)
    assert list(yaml.safe_load(result.text)["people"]) == ["yes_person", "no_person", "person_123"]


def test_stdout_by_default_and_no_check_unless_asked(tmp_path: Path):
    result = oncall("migrate", "opsgenie", str(fixture_dir("opsgenie")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Imported from Opsgenie")
    assert "Checked against" not in result.stdout
