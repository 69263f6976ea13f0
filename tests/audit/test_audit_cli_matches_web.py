"""`python -m oncall audit` and `audit run`, run as operators run them, decide exactly what the
web's `/api/v1/audit/report` and `/api/v1/audit/run` decide: for the alerts that came through the
service and for imported history alike (both build the same runtime)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from audit_builders import voted

from alertaudit.events import write_jsonl
from oncall.clock import FakeClock
from oncall.settings import ROOT

DAY = timedelta(days=1)
NOISY_LIVE_RULE = "DiskAlmostFull"  # reaches the auditor only through the service's alerts table
NOISY_IMPORTED_RULE = "PaymentLatencyHigh"  # only in the imported history


@pytest.fixture
def clock() -> FakeClock:
    """The service's clock starts two hours ago; `catch_up(clock)` brings it to the time the CLI,
    in its own process, reads from the real clock, so both audit the same window."""
    return FakeClock(datetime.now(UTC) - timedelta(hours=2))


def catch_up(clock: FakeClock) -> None:
    clock.set(datetime.now(UTC))


@pytest.fixture
def env(config_path: Path, database_url: str) -> dict[str, str]:
    return {**os.environ, "ONCALL_CONFIG": str(config_path), "DATABASE_URL": database_url}


def oncall(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "oncall", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def history(env, tmp_path: Path) -> None:
    """Imported history (through the CLI): 8 noise pages of one rule, 6 actionable of another."""
    start = datetime.now(UTC) - 3 * DAY
    events = voted(NOISY_IMPORTED_RULE, 0, 8, start, tz="Asia/Seoul") + voted("HighErrorRate", 6, 6, start)
    path = tmp_path / "history.jsonl"
    with path.open("w") as out:
        write_jsonl(events, out)
    oncall(env, "audit", "import", str(path))


@pytest.fixture
def live_alerts(client, auth, runtime, clock) -> None:
    """Six SEV-1 alerts through the API, ten minutes apart, each paged by the engine, voted noise
    by Kim and resolved; then the service's clock catches up with the real time."""
    for n in range(6):
        body = {"rule": NOISY_LIVE_RULE, "dedup_key": f"disk-{n}", "severity": "critical"}
        answer = client.post("/api/v1/alerts", json={**body, "labels": {"team": "payments"}}, headers=auth)
        assert answer.status_code == 201, answer.json
        runtime.engine.tick()
        alert_id = answer.json["created"][0]
        for action, extra in (("vote", {"value": "noise"}), ("resolve", {})):
            done = client.post(
                f"/api/v1/alerts/{alert_id}/{action}", json={"person": "kim", **extra}, headers=auth
            )
            assert done.status_code == 200, done.json
        clock.advance(timedelta(minutes=10))
    catch_up(clock)


def decisions(report: dict) -> dict[str, tuple]:
    """Per rule: every count, the decision and the score (nearly: a second or two passes between
    the two runs, and older events weigh a little less)."""
    return {
        rule["rule"]: (
            rule["counts"],
            {k: rule["decision"][k] for k in ("action", "from_severity", "to_severity", "threshold")},
            pytest.approx(rule["score"]["mean"], abs=1e-4),
        )
        for rule in report["rules"]
    }


def test_the_cli_report_is_the_web_report(history, live_alerts, client, auth, env):
    web = client.get("/api/v1/audit/report?since=7d", headers=auth)
    assert web.status_code == 200
    cli = json.loads(oncall(env, "audit", "--since", "7d", "--format", "json").stdout)
    assert decisions(cli) == decisions(web.json)
    seen = decisions(cli)
    assert seen[NOISY_LIVE_RULE][1]["action"] == "demote", seen[NOISY_LIVE_RULE]
    assert seen[NOISY_IMPORTED_RULE][1]["action"] == "demote"
    assert seen["HighErrorRate"][1]["action"] == "keep"


def test_audit_run_applies_what_the_web_decided_and_the_web_then_has_nothing_left(
    history, live_alerts, client, auth, env
):
    web = client.get("/api/v1/audit/report?since=7d", headers=auth).json
    changes = {r["rule"] for r in web["rules"] if r["decision"]["action"] in ("demote", "promote")}
    assert changes == {NOISY_LIVE_RULE, NOISY_IMPORTED_RULE}
    out = oncall(env, "audit", "run", "--since", "7d").stdout
    applied = {line.split()[1] for line in out.splitlines() if line.startswith("applied: ")}
    assert applied == changes
    again = client.post("/api/v1/audit/run?since=7d", headers=auth)
    assert again.status_code == 200 and again.json["applied"] == []
