"""`python -m oncall audit report` and `audit run`, run beside the served service, see its live
alerts and the imported history alike — and the demo sample only until real history arrives."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from alertaudit.events import write_jsonl
from oncall.settings import ROOT
from tests.audit.audit_builders import voted
from tests.integration.configs import PHONE, demo_config
from tests.integration.launcher import Launcher, LoopbackTwilio, Running


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    with LoopbackTwilio() as fake:
        launcher = Launcher(tmp_path, fake)
        try:
            yield launcher(demo_config())
        finally:
            launcher.close()


def oncall(running: Running, *args: str) -> str:
    """The CLI in its own process, on the service's database, configuration and clock."""
    env = running.service.env
    result = subprocess.run(
        [sys.executable, "-m", "oncall", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def rules(report_json: str) -> dict[str, dict]:
    return {r["rule"]: r for r in json.loads(report_json)["rules"]}


def test_the_cli_reports_the_served_alerts_and_imports_and_leaves_the_sample_out(running, tmp_path):
    assert "stored" in oncall(running, "audit", "sample", "--if-empty")
    sample = json.loads(oncall(running, "audit", "report", "--format", "json"))
    assert sample["sample"] is True and "HealthCheckFlapping" in rules(json.dumps(sample))

    alert_id = running.api.fire("HighErrorRate")
    running.fake.expect_sms(PHONE["kim"], "HighErrorRate")
    running.api.act(alert_id, "resolve", person="kim")
    path = tmp_path / "history.jsonl"
    with path.open("w") as out:
        write_jsonl(voted("ImportedRule", 1, 2, running.clock.now() - timedelta(days=2)), out)
    oncall(running, "audit", "import", str(path))
    running.clock.advance(seconds=5)  # the alert's start is inside the window [since, now)

    report = json.loads(oncall(running, "audit", "report", "--format", "json"))
    seen = rules(json.dumps(report))
    assert report["sample"] is False
    assert set(seen) == {"HighErrorRate", "ImportedRule"}
    assert seen["HighErrorRate"]["counts"]["pages"] == 1  # the SMS the served engine sent
    assert "HighErrorRate" in oncall(running, "audit", "run")
