"""`audit import --from opsgenie|grafana-oncall`: alert lists without notification records.

Who was interrupted is inferred: the acknowledger (matched to a configured person by user name,
e-mail or name, else kept as the vendor names them), else level 1 on call at the time by the
current configuration (the demo: Kim from Mon 2 March, Lee from 9 March, Park from 16 March).
"""

from __future__ import annotations

import json
import shutil

import pytest
from import_helpers import AFTER_FIXTURES, FIXTURES, count_rows, make_cli, stored

from alertaudit.flows import run_audit
from alertaudit.html import render_audit

OPSGENIE_1 = FIXTURES / "opsgenie" / "export-1"
OPSGENIE_2 = FIXTURES / "opsgenie" / "export-2"
GRAFANA = FIXTURES / "grafana-oncall" / "export-1"


@pytest.fixture
def cli(runtime, capsys, clock):
    clock.set(AFTER_FIXTURES)
    return make_cli(runtime, capsys)


def pages_of(runtime) -> dict[str, tuple[str, str | None]]:
    """Episode -> (person, how the page was inferred)."""
    return {
        row.episode[-4:]: (row.person, (row.labels or {}).get("inferred"))
        for row in stored(runtime, kind="paged")
    }


def test_opsgenie_pages_are_inferred_from_the_acknowledger_else_who_was_on_call(cli, runtime):
    code, out, err = cli("audit", "import", "--from", "opsgenie", str(OPSGENIE_1))
    assert (code, err) == (0, "")
    assert "total: 16 events read, 16 new (5 pages inferred from acknowledgements/on-call)" in out
    assert pages_of(runtime) == {
        "4201": ("kim", "acknowledged"),  # kim@example.com: the demo's key kim
        "4202": ("kim", "on-call"),  # nobody acked, Kim's week
        "4203": ("lee", "on-call"),  # Lee's week
        "4204": ("contractor@partner.example", "acknowledged"),  # not configured: kept as named
        "4205": ("park", "on-call"),  # still open, Park's week
    }
    assert {row.channel for row in stored(runtime, kind="paged")} == {"sms"}
    rules = {row.episode[-4:]: row.rule for row in stored(runtime, kind="fired")}
    assert rules["4201"] == "HighErrorRate"  # the alertname tag, as auditor.rule_key says
    assert rules["4202"] == rules["4205"] == "disk-space-low"  # else the alias
    severities = {row.episode[-4:]: row.severity for row in stored(runtime, kind="fired")}
    assert (severities["4201"], severities["4204"], severities["4202"]) == ("SEV-1", "SEV-2", "SEV-3")


def test_opsgenie_closed_by_a_person_is_closed_by_the_source_is_resolved(cli, runtime):
    cli("audit", "import", "--from", "opsgenie", str(OPSGENIE_1))
    ends = {
        row.episode[-4:]: (row.kind, row.person)
        for row in stored(runtime)
        if row.kind in ("closed", "resolved")
    }
    assert ends == {
        "4201": ("closed", "kim"),
        "4202": ("resolved", None),  # closedBy "Alertmanager"
        "4203": ("resolved", None),  # closedBy "System"
        "4204": ("closed", "contractor@partner.example"),
    }
    acked = stored(runtime, kind="acked", person="kim")[0]
    assert acked.at.replace(tzinfo=None).isoformat() == "2026-03-03T17:12:30.353000"  # createdAt + ackTime ms


def test_opsgenie_overlapping_exports_store_each_event_once(cli, runtime):
    cli("audit", "import", "--from", "opsgenie", str(OPSGENIE_1))
    before = count_rows(runtime)
    code, out, _ = cli("audit", "import", "--from", "opsgenie", str(OPSGENIE_2))
    assert code == 0
    assert "9 events read, 3 new" in out  # only the alert of 18 March
    assert count_rows(runtime) == before + 3


def test_the_report_says_how_many_pages_were_inferred(cli):
    cli("audit", "import", "--from", "opsgenie", str(OPSGENIE_1))
    code, out, _ = cli("audit", "--since", "30d")
    assert code == 0
    assert "Pages inferred from acknowledgements/on-call: 5." in out
    code, out, _ = cli("audit", "--since", "30d", "--format", "json")
    report = json.loads(out)
    assert report["inferred_pages"] == 5
    disk = next(rule for rule in report["rules"] if rule["rule"] == "disk-space-low")["counts"]
    # all three at night in Seoul; two resolved by the source within 5 minutes, one still open
    assert (disk["pages"], disk["noise_pages"], disk["sleep_hours_pages"]) == (3, 2, 3)


def test_the_html_report_says_how_many_pages_were_inferred(cli, runtime):
    cli("audit", "import", "--from", "grafana-oncall", str(GRAFANA))
    page = render_audit(run_audit(runtime).report)
    assert "Pages inferred from acknowledgements/on-call: 4." in page


def test_a_report_without_inferred_pages_says_nothing_about_them(cli):
    cli("audit", "import", "--from", "pagerduty", str(FIXTURES / "pagerduty" / "export-1"))
    code, out, _ = cli("audit", "--since", "30d")
    assert code == 0 and "inferred" not in out


def test_grafana_users_name_the_acknowledgers_and_on_call_fills_the_rest(cli, runtime):
    code, out, err = cli("audit", "import", "--from", "grafana-oncall", str(GRAFANA))
    assert (code, err) == (0, "")
    assert "(4 pages inferred from acknowledgements/on-call)" in out
    assert "users.json" not in out  # a users page names people; it holds no history
    assert pages_of(runtime) == {
        "0001": ("lee", "acknowledged"),  # U2LEE..: user name lee.s, e-mail lee@example.com -> lee
        "0002": ("park", "on-call"),
        "0003": ("park", "on-call"),  # still firing, 05:00 Seoul on 19 March: Park's week
        "0004": ("U9UNKNOWNUSR", "acknowledged"),  # not among the users: kept as the vendor's id
    }
    rules = {row.episode[-4:]: row.rule for row in stored(runtime, kind="fired")}
    assert rules == {
        "0001": "HighLatency",  # the group's labels
        "0002": "PodRestarting",  # the last alert's payload labels
        "0003": "Backup failed",  # neither: the title
        "0004": "CertExpiring",
    }
    ends = {
        row.episode[-4:]: (row.kind, row.person)
        for row in stored(runtime)
        if row.kind in ("closed", "resolved")
    }
    assert ends == {"0001": ("closed", "lee"), "0002": ("resolved", None), "0004": ("closed", "U9UNKNOWNUSR")}
    again = cli("audit", "import", "--from", "grafana-oncall", str(GRAFANA))[1]
    assert again.splitlines()[-1].startswith("total: 13 events read, 0 new")


@pytest.mark.parametrize(
    ("source", "path", "edit", "expected"),
    [
        (
            "opsgenie",
            "alerts-offset-0.json",
            lambda b: b["data"][1]["report"].update(ackTime="soon"),
            "entry 1 (id 70413a06-38d6-4c85-92b8-5ebc900d4204): field 'report.ackTime': must be a number",
        ),
        (
            "opsgenie",
            "alerts-offset-0.json",
            lambda b: b["data"][0].update(priority="P9"),
            "entry 0 (id 70413a06-38d6-4c85-92b8-5ebc900d4205): field 'priority': must be one of P1..P5, got 'P9'",
        ),
        (
            "grafana-oncall",
            "alert_groups-page-1.json",
            lambda b: b["results"][1].update(labels={"a": "b"}),
            "entry 1 (id IABCD0000002): field 'labels': must be a list",
        ),
        (
            "grafana-oncall",
            "alert_groups-page-1.json",
            lambda b: b["results"][0].pop("created_at"),
            "entry 0 (id IABCD0000003): field 'created_at': is required",
        ),
    ],
)
def test_a_bad_entry_names_file_entry_and_field_and_stores_nothing_from_that_file(
    cli, runtime, tmp_path, source, path, edit, expected
):
    export = tmp_path / "export"
    shutil.copytree(GRAFANA if source == "grafana-oncall" else OPSGENIE_1, export)
    page = export / path
    body = json.loads(page.read_text())
    edit(body)
    page.write_text(json.dumps(body))
    code, out, err = cli("audit", "import", "--from", source, str(page))
    assert code == 1
    assert f"{page}: {expected}" in err
    assert "nothing imported from this file" in err
    assert count_rows(runtime) == 0
