"""A real Prometheus Alertmanager on loopback whose webhook receiver posts to the service.

It runs alone: no cluster (empty --cluster.listen-address), its own storage directory, and
short group_wait / group_interval / repeat_interval so a test sees notifications in seconds.
Alerts are pushed with its API (POST /api/v2/alerts), as Prometheus does.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import yaml

from tests.fakes.waiting import wait_until
from tests.integration.service import free_port

BINARY_NAMES = ("prometheus-alertmanager", "alertmanager")


def alertmanager_binary() -> str | None:
    """The Alertmanager executable (Debian names it prometheus-alertmanager), or None."""
    for name in BINARY_NAMES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


def receiver_config(webhook_url: str, token: str, repeat_interval: str = "2s") -> dict:
    """Route everything to one webhook receiver that authenticates with the service's bearer token."""
    return {
        "route": {
            "receiver": "oncall",
            "group_by": ["alertname"],
            "group_wait": "1s",
            "group_interval": "1s",
            "repeat_interval": repeat_interval,
        },
        "receivers": [
            {
                "name": "oncall",
                "webhook_configs": [
                    {
                        "url": webhook_url,
                        "send_resolved": True,
                        "http_config": {"authorization": {"credentials": token}},
                    }
                ],
            }
        ],
    }


def rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Alertmanager:
    """One Alertmanager process; `push()` sends alerts, `notifications()` counts webhook sends."""

    def __init__(self, binary: str, workdir: Path, config: dict) -> None:
        self.binary, self.workdir = binary, workdir
        self.port = free_port()
        self.config_path = workdir / "alertmanager.yml"
        self.config_path.write_text(yaml.safe_dump(config))
        self.log_path = workdir / "alertmanager.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        (self.workdir / "am-data").mkdir(exist_ok=True)
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    f"--config.file={self.config_path}",
                    f"--storage.path={self.workdir / 'am-data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--cluster.listen-address=",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, 20, interval=0.05, what="Alertmanager to be ready")

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"Alertmanager exited:\n{self.log_path.read_text()[-3000:]}")
        try:
            return requests.get(f"{self.url}/-/ready", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def push(self, name: str, starts_at: datetime, ends_at: datetime | None = None, **labels: str) -> None:
        """POST /api/v2/alerts with one alert; an `ends_at` in the past resolves it."""
        alert: dict = {
            "labels": {"alertname": name, **labels},
            "annotations": {"summary": f"{name} from Alertmanager"},
            "startsAt": rfc3339(starts_at),
            "generatorURL": "http://prometheus.invalid/graph",
        }
        if ends_at is not None:
            alert["endsAt"] = rfc3339(ends_at)
        response = requests.post(f"{self.url}/api/v2/alerts", json=[alert], timeout=5)
        assert response.status_code == 200, response.text

    def notifications(self, outcome: str = "total") -> int:
        """alertmanager_notifications_{total,failed_total} for the webhook integration."""
        metric = (
            "alertmanager_notifications_total"
            if outcome == "total"
            else "alertmanager_notifications_failed_total"
        )
        text = requests.get(f"{self.url}/metrics", timeout=5).text
        for line in text.splitlines():
            if line.startswith(metric + "{") and 'integration="webhook"' in line:
                return int(float(line.rsplit(" ", 1)[1]))
        return 0


def now_minus(seconds: float) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=seconds)
