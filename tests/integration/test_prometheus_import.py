"""`audit import --from prometheus` against a real Prometheus on loopback.

Prometheus evaluates a rules file every second: `Flapping` fires for 5 s of every 10 (`time() % 10 < 5` on a vector: a comparison of two
scalars would need `bool`) and
`AlwaysFiring` never stops. Once a few runs are in its database, the command (a subprocess,
as an operator runs it) reads the `ALERTS` series and the report counts the episodes.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import yaml

from alertaudit.sources.prometheus_api import alert_events
from tests.conftest import DEMO_CONFIG, need_component
from tests.fakes.waiting import wait_until
from tests.integration.service import free_port, service_env

pytestmark = pytest.mark.integration

RULES = {
    "groups": [
        {
            "name": "import-test",
            "interval": "1s",
            "rules": [
                {
                    "alert": "Flapping",
                    "expr": "vector(1) and on() (vector(time()) % 10 < 5)",
                    "labels": {"severity": "warning"},
                },
                {"alert": "AlwaysFiring", "expr": "vector(1)", "labels": {"severity": "critical"}},
            ],
        }
    ]
}


def prometheus_binary() -> str | None:
    return shutil.which("prometheus") or (
        "/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None
    )


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[str]:
    """A Prometheus on 127.0.0.1 evaluating RULES every second; yields its base URL."""
    binary = prometheus_binary()
    if binary is None:
        need_component("prometheus", "apt-get install prometheus (as .ci/run does)")
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(RULES))
    config = {"global": {"evaluation_interval": "1s", "scrape_interval": "15s"}, "rule_files": ["rules.yml"]}
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    log = (tmp_path / "prometheus.log").open("w")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _ready(url), timeout=30, what="prometheus ready")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/-/ready", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def _flapping_runs(url: str) -> int:
    """Finished firing runs of `Flapping` so far (read as the import will read them)."""
    now = datetime.now(UTC)
    events = alert_events(url, now - timedelta(minutes=5), now, step_s=1)
    return sum(1 for e in events if e.rule == "Flapping" and e.kind == "resolved")


def _oncall(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = service_env(DATABASE_URL=f"sqlite:///{tmp_path / 'oncall.db'}", ONCALL_CONFIG=str(DEMO_CONFIG))
    return subprocess.run(
        [sys.executable, "-m", "oncall", *argv], env=env, capture_output=True, text=True, timeout=120
    )


def test_firing_runs_become_fired_and_resolved_events_and_the_report_counts_them(prometheus, tmp_path):
    wait_until(lambda: _flapping_runs(prometheus) >= 3, timeout=40, interval=1, what="three Flapping runs")

    imported = _oncall(
        tmp_path,
        "audit",
        "import",
        "--from",
        "prometheus",
        "--url",
        prometheus,
        "--since",
        "5m",
        "--step",
        "1s",
    )
    assert imported.returncode == 0, imported.stderr
    assert f"{prometheus}: " in imported.stdout and " new" in imported.stdout

    report = _oncall(tmp_path, "audit", "--since", "1h", "--format", "json")
    assert report.returncode == 0, report.stderr
    rules = {rule["rule"]: rule for rule in json.loads(report.stdout)["rules"]}
    flapping = rules["Flapping"]["counts"]
    assert flapping["episodes"] >= 3
    # every finished 5-second run was resolved by its source within 5 minutes: transient
    assert flapping["transient"] >= 3
    assert flapping["flapping"] >= 2  # each fired again within an hour of the previous one resolving
    always = rules["AlwaysFiring"]
    assert always["counts"]["episodes"] == 1  # one run, still firing: no resolved event
    assert always["counts"]["auto_resolved"] == 0
    assert always["base_severity"] in ("critical", "SEV-1")

    again = _oncall(
        tmp_path,
        "audit",
        "import",
        "--from",
        "prometheus",
        "--url",
        prometheus,
        "--since",
        "5m",
        "--step",
        "1s",
    )
    assert again.returncode == 0, again.stderr
    read, new = _counts(again.stdout)
    assert read > new  # what the first import stored is stored once; only what happened since is new


def _counts(line: str) -> tuple[int, int]:
    words = line.split()
    return int(words[words.index("events") - 1]), int(words[words.index("new") - 1])


def test_an_unreachable_server_exits_1_and_stores_nothing(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    result = _oncall(tmp_path, "audit", "import", "--from", "prometheus", "--url", url, "--since", "5m")
    assert result.returncode == 1
    assert url in result.stderr and "nothing imported" in result.stderr
