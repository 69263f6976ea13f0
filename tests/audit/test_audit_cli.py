"""`python -m oncall audit ...` through the argparse tree the CLI builds, over the runtime the
CLI builds (`build_runtime`): the demo configuration, in auto mode."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from audit_builders import NOW, voted
from import_helpers import make_cli

from alertaudit.events import write_jsonl

ROOT = Path(__file__).resolve().parents[2]
DAY = timedelta(days=1)


@pytest.fixture
def cli(runtime, capsys):
    return make_cli(runtime, capsys)


@pytest.fixture
def history(tmp_path) -> Path:
    events = (
        voted("PaymentLatencyHigh", 0, 8, NOW - 3 * DAY, severity="page", tz="Asia/Seoul")
        + voted("HighErrorRate", 6, 6, NOW - 3 * DAY, severity="critical")
        + voted("Watchdog", 0, 6, NOW - 3 * DAY, severity="none")
    )
    path = tmp_path / "history.jsonl"
    with path.open("w") as out:
        write_jsonl(events, out)
    return path


def test_import_then_report_ranks_the_noisiest_rule_first(cli, history):
    code, out, _ = cli("audit", "import", str(history))
    assert code == 0
    assert out == f"{history}: 80 events read, 80 new\n"  # 20 episodes of 4 events
    code, out, _ = cli("audit", "import", str(history))
    assert out == f"{history}: 80 events read, 0 new\n"
    code, out, _ = cli("audit", "--since", "30d")
    assert code == 0
    ranked = [line for line in out.splitlines() if line[:2].strip().isdigit()]
    # 8 noise pages, 5 of them at night in Seoul (8 + 5 = 13), outrank 6 noise pages with
    # one at night (6 + 1 = 7); a rule whose pages all needed action comes last.
    assert [(row.split()[1], row.split()[2]) for row in ranked] == [
        ("PaymentLatencyHigh", "SEV-2->SEV-3"),
        ("Watchdog", "SEV-3"),
        ("HighErrorRate", "SEV-1"),
    ]
    assert [" demote " in ranked[0], " exempt " in ranked[1], " keep " in ranked[2]] == [True] * 3


def test_report_only_reports_and_run_applies(cli, history):
    cli("audit", "import", str(history))
    cli("audit")
    code, out, _ = cli("audit", "run")
    assert "applied: PaymentLatencyHigh SEV-2 -> SEV-3" in out
    code, out, _ = cli("audit", "run")
    assert "applied:" not in out  # held: the change is recorded, not repeated


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_formats(cli, history, fmt):
    cli("audit", "import", str(history))
    code, out, _ = cli("audit", "--format", fmt)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        rules = {r["rule"]: r for r in data["rules"]}
        assert rules["PaymentLatencyHigh"]["decision"]["action"] == "demote"
        assert rules["HighErrorRate"]["counts"]["actionable_pages"] == 6
    else:
        rows = list(csv.DictReader(io.StringIO(out)))
        by_rule = {r["rule"]: r for r in rows}
        assert by_rule["PaymentLatencyHigh"]["decision"] == "demote"
        assert by_rule["PaymentLatencyHigh"]["sleep_hours_pages"] != ""
        assert [r["rank"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]


def test_undo_pin_unpin(cli, history):
    cli("audit", "import", str(history))
    code, _, err = cli("audit", "undo", "PaymentLatencyHigh", "--by", "kim")
    assert code == 1 and "no demotion or promotion to undo" in err
    cli("audit", "run")
    code, out, _ = cli("audit", "undo", "PaymentLatencyHigh", "--by", "kim")
    assert code == 0 and "undone" in out
    code, out, _ = cli("audit", "pin", "PaymentLatencyHigh", "--by", "kim")
    assert out.strip() == "PaymentLatencyHigh: pinned by kim"
    code, out, _ = cli("audit", "unpin", "PaymentLatencyHigh", "--by", "kim")
    assert out.strip() == "PaymentLatencyHigh: unpinned by kim"


def test_patch_prints_a_diff_for_the_demoted_rule(cli, history):
    cli("audit", "import", str(history))
    code, out, err = cli("audit", "patch", "--root", str(ROOT))
    assert code == 0
    assert out.startswith("--- a/config/prometheus-rules.yml\n+++ b/config/prometheus-rules.yml")
    assert "+          severity: warning" in out
    assert "HighErrorRate" not in out


def test_alerts_that_came_through_the_service_are_audited_with_the_imported_history(
    cli, history, client, auth, clock
):
    cli("audit", "import", str(history))
    for n in range(6):
        body = {"rule": "DiskAlmostFull", "dedup_key": f"disk-{n}", "labels": {"team": "payments"}}
        alert_id = client.post("/api/v1/alerts", json=body, headers=auth).json["created"][0]
        vote = {"person": "kim", "value": "noise"}
        assert client.post(f"/api/v1/alerts/{alert_id}/vote", json=vote, headers=auth).status_code == 200
        clock.advance(timedelta(hours=1))
    code, out, _ = cli("audit", "--format", "json", "--since", "30d")
    rules = {r["rule"]: r for r in json.loads(out)["rules"]}
    assert rules["DiskAlmostFull"]["counts"]["episodes"] == 6  # from the alerts table
    assert rules["DiskAlmostFull"]["counts"]["votes_noise"] == 6
    assert rules["PaymentLatencyHigh"]["decision"]["action"] == "demote"  # from the import


def test_bad_since_is_a_usage_error(cli):
    code, _, err = cli("audit", "--since", "yesterday")
    assert code == 2 and "--since 'yesterday'" in err


def test_import_of_a_bad_file_stores_nothing(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"at": "2026-05-30T10:00:00Z", "kind": "fired", "rule": "R", "episode": "1"}\n'
        '{"at": "2026-05-30T10:00:00Z", "kind": "nope", "rule": "R", "episode": "1"}\n'
    )
    code, _, err = cli("audit", "import", str(bad))
    assert code == 1 and "line 2" in err
    code, out, _ = cli("audit", "--format", "json")
    assert json.loads(out)["rules"] == []


def test_propose_mode_run_changes_nothing(cli, history, runtime, config_path):
    config_path.write_text(config_path.read_text().replace("mode: auto ", "mode: propose "))
    assert runtime.config_store.reload()
    cli("audit", "import", str(history))
    code, out, _ = cli("audit", "run")
    assert "propose mode: nothing applied" in out
