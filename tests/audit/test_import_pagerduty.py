"""`audit import --from pagerduty`: saved `GET /log_entries` pages become auditor events."""

from __future__ import annotations

import json
import shutil

import pytest
from import_helpers import AFTER_FIXTURES, FIXTURES, count_rows, make_cli, stored

EXPORT_1 = FIXTURES / "pagerduty" / "export-1"
EXPORT_2 = FIXTURES / "pagerduty" / "export-2"


@pytest.fixture
def cli(runtime, capsys, clock):
    clock.set(AFTER_FIXTURES)
    return make_cli(runtime, capsys)


def test_two_pages_give_each_incident_its_rule_pages_acks_and_ends(cli, runtime):
    code, out, err = cli("audit", "import", "--from", "pagerduty", str(EXPORT_1))
    assert (code, err) == (0, "")
    # 15 entries: the e-mail and the note are left out; Lee's SMS and push at the same second
    # are the same page, stored once
    assert "total: 13 events read, 12 new" in out
    # PINC01's trigger (with alertname in its details) is on the second page, its resolve on the first
    rules = {row.episode: row.rule for row in stored(runtime)}
    assert rules == {"PINC01": "HighErrorRate", "PINC02": "Payments DB", "PINC03": "DiskSpaceLow"}
    assert {row.source for row in stored(runtime)} == {"pagerduty"}
    fired = stored(runtime, episode="PINC01", kind="fired")[0]
    assert (fired.severity, fired.labels["team"]) == ("critical", "payments")
    pages = [(r.episode, r.person, r.channel, r.timezone) for r in stored(runtime, kind="paged")]
    assert pages == [
        ("PINC01", "kim", "voice", "Asia/Seoul"),  # phone -> voice; its e-mail is no interruption
        ("PINC02", "lee", "sms", "Asia/Seoul"),
        ("PINC02", "choi", "voice", "Asia/Seoul"),
        ("PINC03", "park", "sms", "Asia/Seoul"),
    ]
    assert [
        (r.person, r.kind) for r in stored(runtime, episode="PINC01") if r.kind in ("acked", "closed")
    ] == [
        ("kim", "acked"),
        ("kim", "closed"),  # resolved by a user: closed by a person
    ]
    assert [r.kind for r in stored(runtime, episode="PINC02")][-2:] == [
        "paged",
        "resolved",
    ]  # by the integration
    assert len(stored(runtime, episode="PINC02", kind="escalated")) == 1


def test_an_overlapping_export_imported_twice_stores_each_event_once(cli, runtime):
    cli("audit", "import", "--from", "pagerduty", str(EXPORT_1))
    before = count_rows(runtime)
    code, out, _ = cli("audit", "import", "--from", "pagerduty", str(EXPORT_2), str(EXPORT_1))
    assert code == 0
    assert "total: 19 events read, 3 new" in out  # only PINC04's trigger, page and resolve are new
    assert count_rows(runtime) == before + 3


def test_the_report_scores_the_imported_rules_with_night_pages(cli):
    cli("audit", "import", "--from", "pagerduty", str(EXPORT_1), str(EXPORT_2))
    code, out, _ = cli("audit", "--since", "30d", "--format", "json")
    report = json.loads(out)
    rules = {rule["rule"]: rule["counts"] for rule in report["rules"]}
    assert rules["DiskSpaceLow"]["pages"] == 2
    assert rules["DiskSpaceLow"]["noise_pages"] == 2  # resolved by the source within 5 minutes, nobody acked
    assert rules["DiskSpaceLow"]["sleep_hours_pages"] == 2  # 01:30 and 01:00 in Seoul
    assert rules["HighErrorRate"]["actionable_pages"] == 1  # acked, engaged 42 minutes
    assert rules["HighErrorRate"]["sleep_hours_pages"] == 1  # 02:00 in Seoul


def test_a_bad_entry_names_file_entry_and_field_and_stores_nothing_from_that_file(cli, runtime, tmp_path):
    bad = tmp_path / "export"
    shutil.copytree(EXPORT_2, bad)
    page = bad / "log_entries-offset-0.json"
    body = json.loads(page.read_text())
    body["log_entries"][1]["created_at"] = "yesterday"
    page.write_text(json.dumps(body))
    code, out, err = cli("audit", "import", "--from", "pagerduty", str(bad))
    assert code == 1
    assert str(page) in err
    assert f"entry 1 (id {body['log_entries'][1]['id']})" in err
    assert "'created_at'" in err and "yesterday" in err
    assert count_rows(runtime) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not JSON"),
        ('{"incidents": []}', "expected a 'log_entries' list"),
        (
            '{"log_entries": [{"id": "X", "type": "notify_log_entry", "created_at": "2026-03-01T00:00:00Z",'
            ' "incident": {"id": "P1"}, "service": {"summary": "S"}, "channel": {"type": "auto",'
            ' "notification": {"type": "carrier_pigeon"}}, "user": {"summary": "Kim"}}]}',
            "field 'channel.notification.type': unknown notification type 'carrier_pigeon'",
        ),
        (
            '{"log_entries": [{"id": "X", "type": "trigger_log_entry", "created_at": "2026-03-01T00:00:00Z"}]}',
            "entry 0 (id X): field 'incident.id': is required",
        ),
    ],
)
def test_bad_files_exit_1_with_a_clear_message(cli, runtime, tmp_path, text, expected):
    path = tmp_path / "page.json"
    path.write_text(text)
    code, _, err = cli("audit", "import", "--from", "pagerduty", str(path))
    assert code == 1
    assert expected in err and str(path) in err
    assert count_rows(runtime) == 0
