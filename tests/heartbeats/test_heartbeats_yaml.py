"""The `heartbeats` section: defaults, and every mistake at its line and column."""

from __future__ import annotations

from datetime import timedelta

from oncall.configfile.loader import check_config
from tests.conftest import DEMO_CONFIG

DEMO = DEMO_CONFIG.read_text()
FIRST_LINE = DEMO.count("\n") + 1  # the line of the text appended to the demo configuration


def _check(section: str):
    config, problems = check_config(DEMO + section, "oncall.yaml")
    return config, [str(p) for p in problems if p.severity == "error"]


def test_defaults_grace_half_of_every_watchdog_sev2():
    config, errors = _check("heartbeats:\n  prometheus: {every: 1m, escalation: payments}\n")
    assert errors == []
    heartbeat = config.heartbeats["prometheus"]
    assert (heartbeat.every, heartbeat.grace) == (timedelta(minutes=1), timedelta(seconds=30))
    assert (heartbeat.alertname, heartbeat.severity, heartbeat.match) == ("Watchdog", "SEV-2", ())
    assert heartbeat.allowed_silence == timedelta(seconds=90)


def test_every_field_read():
    section = (
        "heartbeats:\n"
        "  backup: {every: 10s, grace: 0s, escalation: payments, alertname: BackupDone,\n"
        "           match: {cluster: seoul}, severity: sev-1, summary: Backups stopped}\n"
    )
    config, errors = _check(section)
    assert errors == []
    heartbeat = config.heartbeats["backup"]
    assert heartbeat.grace == timedelta(0) and heartbeat.match == (("cluster", "seoul"),)
    assert (heartbeat.severity, heartbeat.summary) == ("SEV-1", "Backups stopped")


def test_an_unknown_escalation_is_named_with_a_suggestion():
    _, errors = _check("heartbeats:\n  prometheus: {every: 1m, escalation: paymnets}\n")
    assert errors == [
        f"oncall.yaml:{FIRST_LINE + 1}:39: error: unknown escalation `paymnets` in heartbeat "
        "`prometheus` — did you mean `payments`?"
    ]


def test_missing_every_unknown_key_bad_duration_and_sev4():
    section = (
        "heartbeats:\n"
        "  a: {escalation: payments}\n"
        "  b: {every: 1m, escalation: payments, graze: 5s}\n"
        "  c: {every: soon, escalation: payments}\n"
        "  d: {every: 1m, escalation: payments, severity: SEV-4}\n"
        "  e: {every: 0s, escalation: payments}\n"
    )
    _, errors = _check(section)
    line = FIRST_LINE + 1
    assert errors[0] == f"oncall.yaml:{line}:6: error: heartbeat `a` is missing `every`"
    assert (
        errors[1]
        == f"oncall.yaml:{line + 1}:40: error: unknown key `graze` in heartbeat `b` — did you mean `grace`?"
    )
    assert errors[2].startswith(
        f"oncall.yaml:{line + 2}:14: error: `every` of heartbeat `c`: `soon` is not a duration"
    )
    assert errors[3].startswith(
        f"oncall.yaml:{line + 3}:50: error: `severity` of heartbeat `d` must be one of"
    )
    assert "SEV-4 never pages" in errors[3]
    assert errors[4] == f"oncall.yaml:{line + 4}:14: error: `every` of heartbeat `e` must be longer than 0"
    assert len(errors) == 5


def test_two_heartbeats_that_would_take_one_alert_are_refused_naming_both():
    section = (
        "heartbeats:\n"
        "  seoul: {every: 1m, escalation: payments, match: {cluster: seoul}}\n"
        "  any: {every: 1m, escalation: payments}\n"
        "  busan: {every: 1m, escalation: payments, match: {cluster: busan}}\n"
        "  batch: {every: 1h, escalation: payments, alertname: BatchDone}\n"
    )
    _, errors = _check(section)
    hint = "`Watchdog` alerts; give them `match` labels that tell them apart (e.g. `match: {cluster: seoul}`)"
    assert errors == [
        f"oncall.yaml:{FIRST_LINE + 2}:3: error: heartbeats `seoul` and `any` would both take the same {hint}",
        f"oncall.yaml:{FIRST_LINE + 3}:3: error: heartbeats `any` and `busan` would both take the same {hint}",
    ]


def test_labels_that_tell_them_apart_are_fine():
    section = (
        "heartbeats:\n"
        "  seoul: {every: 1m, escalation: payments, match: {cluster: seoul}}\n"
        "  busan: {every: 1m, escalation: payments, match: {cluster: busan, env: prod}}\n"
    )
    config, errors = _check(section)
    assert errors == [] and set(config.heartbeats) == {"seoul", "busan"}
    assert config.heartbeats["busan"].takes({"alertname": "Watchdog", "cluster": "busan", "env": "prod"})
    assert not config.heartbeats["busan"].takes({"alertname": "Watchdog", "cluster": "busan"})


def test_a_heartbeat_name_is_one_word():
    _, errors = _check("heartbeats:\n  my heartbeat: {every: 1m, escalation: payments}\n")
    assert errors == [
        f"oncall.yaml:{FIRST_LINE + 1}:3: error: heartbeat key `my heartbeat` must be one word "
        "(letters, digits, `_`, `-` or `.`)"
    ]
