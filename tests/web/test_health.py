"""/healthz reports a rejected configuration edit; /readyz never turns unready because of one."""

from __future__ import annotations

import logging
from datetime import timedelta

GOOD_TEAM = "team: [kim, lee, park]"
BAD_TEAM = "team: [kim, lee, nobody]"  # an unknown person: the edit is rejected


def reject_an_edit(config_path) -> int:
    """Write an edit naming an unknown person; returns the line of the bad team."""
    text = config_path.read_text()
    assert GOOD_TEAM in text
    config_path.write_text(text.replace(GOOD_TEAM, BAD_TEAM))
    return text[: text.index(GOOD_TEAM)].count("\n") + 1


def test_a_rejected_edit_keeps_the_service_ready_and_shows_on_healthz(client, runtime, config_path, clock):
    line = reject_an_edit(config_path)
    rejected_at = clock.now()
    assert runtime.config_store.reload() is False

    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    health = client.get("/healthz")
    assert health.status_code == 200
    config = health.json["config"]
    assert config["status"] == "rejected"
    assert config["rejected_since"] == rejected_at.isoformat()
    assert config["first_error"].startswith(f"{config_path}:{line}:")
    assert "nobody" in config["first_error"]
    assert config["errors"] == 1


def test_a_second_bad_edit_keeps_the_first_rejection_time(client, runtime, config_path, clock):
    reject_an_edit(config_path)
    first = clock.now()
    runtime.config_store.reload()
    clock.advance(timedelta(minutes=7))
    config_path.write_text(config_path.read_text().replace("nobody", "nobody_else"))
    runtime.config_store.reload()
    config = client.get("/healthz").json["config"]
    assert config["rejected_since"] == first.isoformat()
    assert "nobody_else" in config["first_error"]


def test_a_fixed_edit_clears_the_rejection(client, runtime, config_path):
    good = config_path.read_text()
    reject_an_edit(config_path)
    runtime.config_store.reload()
    config_path.write_text(good)
    runtime.config_store.reload()
    config = client.get("/healthz").json["config"]
    assert config["status"] == "valid"
    assert "rejected_since" not in config and "first_error" not in config


def test_a_rejected_edit_logs_an_error_line_with_file_and_line(runtime, config_path, caplog):
    line = reject_an_edit(config_path)
    with caplog.at_level(logging.ERROR, logger="oncall.config"):
        runtime.config_store.reload()
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(message.startswith(f"{config_path}:{line}:") for message in errors), errors


def test_healthz_masks_a_phone_number_quoted_by_a_rejected_edit(client, runtime, config_path):
    text = config_path.read_text()
    config_path.write_text(text.replace(GOOD_TEAM, 'team: [kim, lee, "+82 10-1234-5601"]'))
    runtime.config_store.reload()
    first_error = client.get("/healthz").json["config"]["first_error"]
    assert "unknown person" in first_error
    assert "5601" in first_error and "1234" not in first_error
