"""Under gunicorn with two workers, /metrics counts every worker's alerts, whichever answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from oncall.settings import ROOT
from tests.conftest import DEMO_CONFIG

ALERTS = 40
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def received_total(text: str) -> float:
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("oncall_alerts_received_total{")
    )


@pytest.fixture
def served(tmp_path: Path, database_url: str):
    """`python -m oncall serve --workers 2` on a free port; yields (base url, token, metrics dir)."""
    metrics_dir = tmp_path / "prometheus"
    (metrics_dir).mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"stale")  # a previous run's file: serve must clear it
    config = tmp_path / "oncall.yaml"
    shutil.copy(DEMO_CONFIG, config)
    env = {
        **os.environ,
        "ONCALL_CONFIG": str(config),
        "DATABASE_URL": database_url,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "ONCALL_ENGINE": "0",  # counting alerts needs no engine; keep the workers quiet
        "ONCALL_PIDFILE": str(tmp_path / "serve.pid"),
    }
    server = _start(env, tmp_path / "serve.log")
    try:
        token = (
            subprocess.run(
                [sys.executable, "-m", "oncall", "token", "create", "metrics-test"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        yield server.base, token, metrics_dir
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _start(env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start serve and wait for /healthz (the database is migrated by then).

    `serve` writes a fixed pid file (var/oncall.pid): while another test's server holds it,
    gunicorn refuses to start, so starting is retried until that one is gone.
    """
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        port = free_port()
        with log.open("w") as out:  # a file, not a pipe: a chatty server never blocks on it
            server = subprocess.Popen(
                [sys.executable, "-m", "oncall", "serve", "--port", str(port), "--workers", "2"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server.base = f"http://127.0.0.1:{port}"
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                if requests.get(f"{server.base}/healthz", timeout=1).status_code == 200:
                    return server
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            time.sleep(0.1)  # polling a real process coming up; no product time is involved
        else:
            server.kill()
            pytest.fail("oncall serve did not answer /healthz in time")
        error = log.read_text()
        if "Already running" not in error or time.monotonic() >= deadline:
            pytest.fail(f"oncall serve exited: {error[-2000:]}")
        time.sleep(0.5)  # another server holds the pid file; wait for it to stop


def test_counters_add_up_across_two_workers(served):
    base, token, metrics_dir = served

    def post(i: int) -> int:
        # A new connection each time, sent concurrently, so both workers take some.
        body = {
            "rule": f"Load{i}",
            "dedup_key": f"load-{i}",
            "severity": "critical",
            "labels": {"team": "payments"},
        }
        headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
        return requests.post(f"{base}/api/v1/alerts", json=body, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(ALERTS)))
    assert statuses == [201] * ALERTS

    writers = {path.stem.rsplit("_", 1)[-1] for path in metrics_dir.glob("counter_*.db")}
    assert "1" not in writers, "the stale file of a previous run was not cleared"
    assert len(writers) == 2, f"expected both workers to count alerts, got files of {writers}"
    # Whichever worker answers the scrape, it reports the sum over both.
    for _ in range(6):
        scrape = requests.get(f"{base}/metrics", headers={"Connection": "close"}, timeout=10)
        assert scrape.status_code == 200
        assert received_total(scrape.text) == ALERTS
