"""A real Alertmanager's Watchdog route feeds a heartbeat of the served service; when Alertmanager
stops, the service pages the heartbeat's escalation through the fake Twilio (docs/heartbeats.md).

The Watchdog route is the one docs/alertmanager.md shows, with intervals in seconds: its own
route, `group_wait: 0s`, a short `repeat_interval`, so Alertmanager resends the always-firing
Watchdog every second; the heartbeat (every 3 s, grace 2 s) counts each as a beat.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import need_component
from tests.fakes.waiting import wait_until
from tests.integration.alertmanager import Alertmanager, alertmanager_binary, now_minus
from tests.integration.configs import PHONE, Timing, demo_config
from tests.integration.launcher import Running
from tests.integration.service import stays

pytestmark = pytest.mark.integration

KIM = PHONE["kim"]
WEBHOOK = "/api/v1/alerts/alertmanager"
HEARTBEAT = {"every": "3s", "grace": "2s", "escalation": "payments", "match": {"cluster": "seoul"}}


def watchdog_routing(webhook_url: str, token: str) -> dict:
    """Everything to the service; the Watchdog on its own route, resent every second."""
    receiver = {
        "name": "oncall",
        "webhook_configs": [
            {
                "url": webhook_url,
                "send_resolved": True,
                "http_config": {"authorization": {"credentials": token}},
            }
        ],
    }
    watchdog = {
        "matchers": ['alertname="Watchdog"'],
        "receiver": "oncall",
        "group_by": ["alertname", "cluster"],
        "group_wait": "0s",
        "group_interval": "1s",
        "repeat_interval": "1s",
        "continue": False,
    }
    root = {"receiver": "oncall", "group_by": ["alertname"], "group_wait": "1s", "routes": [watchdog]}
    return {"route": root, "receivers": [receiver]}


@pytest.fixture
def alertmanager_binary_path() -> str:
    binary = alertmanager_binary()
    if binary is None:
        need_component("Alertmanager", "apt-get install prometheus-alertmanager")
    return str(binary)


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[Alertmanager]]:
    running: list[Alertmanager] = []
    yield running
    for am in running:
        am.stop()


def heartbeat(running: Running) -> dict:
    response = running.api.http.get(f"{running.service.url}/api/v1/heartbeats/prometheus", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_stopped_alertmanager_pages_the_heartbeats_escalation(
    launch, alertmanager_binary_path, started, tmp_path: Path
):
    config = {
        **demo_config(Timing(level2_after=60, level3_after=120)),
        "heartbeats": {"prometheus": HEARTBEAT},
    }
    running = launch(config)
    am = Alertmanager(
        alertmanager_binary_path, tmp_path, watchdog_routing(f"{running.service.url}{WEBHOOK}", running.token)
    )
    started.append(am)
    am.start()
    am.push("Watchdog", starts_at=now_minus(1), severity="none", cluster="seoul")

    wait_until(lambda: heartbeat(running)["beats"] >= 3, 15, what="three Watchdog beats through Alertmanager")
    assert heartbeat(running)["last_beat_source"] == "alertmanager"
    assert running.api.alerts(status="all") == []  # the Watchdog is a beat, never an alert
    stays(
        lambda: not any(m.to == KIM for m in running.fake.messages), 1.0, what="nobody paged while it beats"
    )

    am.stop()  # the pipeline dies: no more Watchdogs
    stopped_beats = heartbeat(running)["beats"]
    sms = running.fake.expect_sms(KIM, "Heartbeat prometheus missing", timeout=15)
    assert "[SEV-2 #1]" in sms.body
    state = heartbeat(running)
    assert state["state"] == "missing" and state["beats"] == stopped_beats and state["missing_alert_id"] == 1
    (alert,) = running.api.alerts(status="all")
    assert (alert["source"], alert["status"], alert["policy"]) == ("heartbeat", "triggered", "payments")
    metrics = requests.get(f"{running.service.url}/metrics", timeout=10).text
    assert 'oncall_heartbeat_missing{heartbeat="prometheus"} 1.0' in metrics
