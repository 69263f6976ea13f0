"""`make run PORT=… HOST=…`: the demo listens where asked, and says where to open it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from oncall.settings import ROOT
from tests.demo_service import make_sandbox
from tests.fakes.waiting import wait_until
from tests.integration.service import free_port, service_env

pytestmark = pytest.mark.integration


def make(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    # JS=/nonexistent: `install` then skips `npm ci` for the calendar-client test (no network here).
    return subprocess.Popen(
        ["make", "--no-print-directory", *args, "JS=/nonexistent"],
        cwd=cwd,
        env=env,
        text=True,
        **popen,
    )


def test_make_run_port_serves_the_demo_on_that_port_and_prints_its_address(tmp_path):
    checkout = make_sandbox(tmp_path / "checkout")
    port = free_port()
    env = service_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}",
        ONCALL_PIDFILE=str(tmp_path / "demo.pid"),
    )
    log = (tmp_path / "make.log").open("w")
    # -o: the venv counts as installed (a test checks the serving, not a reinstall of the venv).
    process = make(
        "-o",
        ".venv/.installed",
        "run",
        f"PORT={port}",
        cwd=checkout,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: _ready(url, process), timeout=60, interval=0.2, what="make run to serve")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{(tmp_path / 'make.log').read_text()}") from None
        token = (checkout / "var" / "demo-token").read_text().strip()
        alerts = requests.get(f"{url}/api/v1/alerts", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert alerts.status_code == 200, alerts.text
        assert f"Open http://127.0.0.1:{port}/" in (tmp_path / "make.log").read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
        log.close()


def _ready(url: str, process: subprocess.Popen) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"make run exited with {process.returncode}")
    try:
        return requests.get(f"{url}/readyz", timeout=1).status_code == 200
    except requests.RequestException:
        time.sleep(0.1)
        return False


@pytest.mark.parametrize(
    ("args", "listen", "open_url"),
    [
        ((), "--host 127.0.0.1 --port 8080", "http://127.0.0.1:8080/"),
        (("PORT=8081",), "--host 127.0.0.1 --port 8081", "http://127.0.0.1:8081/"),
        (("HOST=0.0.0.0", "PORT=9000"), "--host 0.0.0.0 --port 9000", "http://127.0.0.1:9000/"),
        (("HOST=10.1.2.3",), "--host 10.1.2.3 --port 8080", "http://10.1.2.3:8080/"),
    ],
)
def test_make_run_host_and_port_reach_serve_and_the_open_line(args, listen, open_url):
    # An exported HOST (many shells set it to the machine's name) must not move the listener.
    env = {**os.environ, "HOST": "some-laptop"}
    done = make("-n", "run", *args, env=env, stdout=subprocess.PIPE)
    out, _ = done.communicate(timeout=30)
    assert done.returncode == 0
    assert f"serve {listen} --workers 1" in out
    assert f"Open {open_url}" in out
    assert f"ONCALL_PUBLIC_URL:-{open_url.rstrip('/')}" in out
