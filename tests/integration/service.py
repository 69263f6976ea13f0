"""The real service as a subprocess and its HTTP API.

The process is `python -m oncall serve --workers 1` (migrations, then gunicorn), with a pidfile in
the test's directory: a test that kills it leaves no stale file in the checkout's var/.

    service = ServiceProcess(workdir, env, port)
    service.start()                        # waits for GET /readyz == 200
    api = Api(service.url, service.create_token("tests"))
    api.post_alerts([{"rule": "HighErrorRate", "severity": "critical"}])
    service.crash()                        # SIGKILL to the whole process group
    service.stop()                         # SIGTERM, then SIGKILL if it lingers

Every process runs in its own session, so killing its group also ends the gunicorn workers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from oncall.settings import ROOT
from tests.fakes.waiting import wait_until

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
# Variables of the developer's shell that would leak into the service under test.
SCRUBBED = ("ONCALL_", "DATABASE_URL", "TWILIO_")


def free_port() -> int:
    """A TCP port nobody listens on at the moment (on 127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_env(**values: str) -> dict[str, str]:
    """The current environment without oncall/Twilio settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED)}
    env.update({"PYTHONUNBUFFERED": "1", "ONCALL_SECRET_KEY": "integration-tests"})
    env.update(values)
    return env


class ServiceProcess:
    """One `oncall serve` process (gunicorn arbiter plus one worker) on 127.0.0.1:`port`."""

    def __init__(
        self,
        workdir: Path,
        env: dict[str, str],
        port: int,
        name: str = "service",
        *,
        own_pidfile: bool = True,
    ) -> None:
        """`own_pidfile`: `--pidfile <workdir>/<name>.pid`; False: serve's default (var/oncall-HOST-PORT.pid)."""
        self.workdir, self.env, self.port, self.name = workdir, env, port, name
        self.pidfile: Path | None = workdir / f"{name}.pid" if own_pidfile else None
        self.log_path = workdir / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """`python -m oncall serve --host 127.0.0.1 --port PORT --workers 1 [--pidfile PIDFILE]`."""
        serve = [
            PYTHON,
            "-m",
            "oncall",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "1",
        ]
        return serve + (["--pidfile", str(self.pidfile)] if self.pidfile else [])

    def create_token(self, name: str) -> str:
        """`python -m oncall token create NAME` on the service's database; the token is the last line."""
        done = subprocess.run(
            [PYTHON, "-m", "oncall", "token", "create", name],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"token create failed: {done.stderr}"
        return done.stdout.strip().splitlines()[-1]

    def start(self) -> None:
        """Start the process and wait until it answers GET /readyz with 200."""
        self.starts += 1
        log = self.log_path.open("a")
        log.write(f"\n===== start {self.starts} =====\n")
        log.flush()
        self.process = subprocess.Popen(
            self.command(),
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_until(self._ready, START_TIMEOUT, interval=0.05, what=f"{self.name} to be ready")

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
        try:
            return requests.get(f"{self.url}/readyz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def crash(self) -> None:
        """SIGKILL the arbiter and its workers at once, as a power cut would."""
        self._signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(STOP_TIMEOUT)

    def stop(self) -> None:
        """Graceful stop; SIGKILL when it does not end in time. Safe to call twice."""
        if self.process is None or self.process.poll() is not None:
            self._signal_group(signal.SIGKILL)  # orphaned workers of a crashed arbiter
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def access_log_count(self, fragment: str) -> int:
        """How many gunicorn access-log lines contain `fragment` (e.g. 'POST /api/v1/alerts/alertmanager')."""
        return sum(1 for line in self.log_text().splitlines() if fragment in line)


class Api:
    """The service's HTTP API with a bearer token."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, timeout: float = 30, **kwargs: Any) -> requests.Response:
        return self.http.post(f"{self.base_url}{path}", timeout=timeout, **kwargs)

    def post_alerts(self, alerts: list[dict] | dict) -> dict:
        """POST /api/v1/alerts (generic JSON); asserts a 2xx and returns the answer."""
        response = self.post("/api/v1/alerts", json=alerts)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def fire(
        self, rule: str, severity: str = "critical", summary: str = "", team: str = "payments", **fields: Any
    ) -> int:
        """One firing alert through the generic API; returns its id."""
        body = {
            "rule": rule,
            "dedup_key": fields.pop("dedup_key", rule),
            "severity": severity,
            "summary": summary,
            "labels": {"team": team},
            **fields,
        }
        return self.post_alerts(body)["created"][0]

    def alerts(self, status: str = "all", limit: int = 1000) -> list[dict]:
        response = self.http.get(
            f"{self.base_url}/api/v1/alerts", params={"status": status, "limit": limit}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.json()["alerts"]

    def alert(self, alert_id: int) -> dict:
        response = self.http.get(f"{self.base_url}/api/v1/alerts/{alert_id}", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def act(self, alert_id: int, action: str, **body: Any) -> dict:
        response = self.post(f"/api/v1/alerts/{alert_id}/{action}", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def events(self, alert_id: int, kind: str | None = None) -> list[dict]:
        """The alert's timeline, or only the events of one kind."""
        timeline = self.alert(alert_id)["timeline"]
        return [e for e in timeline if kind is None or e["kind"] == kind]


def stays(predicate, seconds: float, interval: float = 0.05, what: str = "condition") -> None:
    """Assert `predicate()` stays truthy for `seconds` (for "nothing else happens" checks)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert predicate(), f"{what} stopped holding"
        time.sleep(interval)
    assert predicate(), f"{what} stopped holding"
