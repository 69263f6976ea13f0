"""A real Alertmanager posting its webhook to the real service (docs/paging.md).

Alerts go in through Alertmanager's own API; Alertmanager groups them (group_wait 1 s), sends
them to the service with the bearer token from its http_config, resends firing ones every
repeat_interval (2 s) and sends the resolution when an alert ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import need_component
from tests.fakes.waiting import wait_until
from tests.integration.alertmanager import Alertmanager, alertmanager_binary, now_minus, receiver_config
from tests.integration.configs import PHONE, Timing, demo_config
from tests.integration.launcher import Running
from tests.integration.service import stays

pytestmark = pytest.mark.integration

KIM, CHOI, JUNG = PHONE["kim"], PHONE["choi"], PHONE["jung"]
WEBHOOK = "/api/v1/alerts/alertmanager"


@pytest.fixture
def alertmanager_for(tmp_path: Path) -> Iterator[Callable[[Running], Alertmanager]]:
    """`alertmanager_for(running)`: an Alertmanager whose receiver is that service."""
    binary = alertmanager_binary()
    if binary is None:
        need_component("Alertmanager", "apt-get install prometheus-alertmanager")
    started: list[Alertmanager] = []

    def start(running: Running) -> Alertmanager:
        config = receiver_config(f"{running.service.url}{WEBHOOK}", running.token)
        am = Alertmanager(binary, tmp_path, config)
        started.append(am)
        am.start()
        return am

    yield start
    for am in started:
        am.stop()


def pages(running: Running, phone: str) -> int:
    fake = running.fake
    return sum(1 for m in fake.messages if m.to == phone) + sum(1 for c in fake.calls if c.to == phone)


def answered(running: Running, status: int) -> int:
    """Webhook posts the service answered with `status` (its access log)."""
    return running.service.access_log_count(f'"POST {WEBHOOK} HTTP/1.1" {status}')


def test_firing_alert_pages_once_and_repeat_notifications_page_nobody_again(launch, alertmanager_for):
    running = launch(demo_config(Timing(level2_after=60, level3_after=120)), token_cli=True)
    am = alertmanager_for(running)

    am.push("HighErrorRate", starts_at=now_minus(1), severity="critical", team="payments")

    running.fake.expect_sms(KIM, "[SEV-1 #", "HighErrorRate payments", timeout=10)
    running.fake.expect_call(KIM, timeout=10)
    wait_until(lambda: answered(running, 200) >= 2, 15, what="two repeat notifications from Alertmanager")
    assert answered(running, 201) == 1  # the first notification created the alert
    stays(lambda: pages(running, KIM) == 2, 1.0, what="Kim paged once (one SMS, one call)")
    alerts = running.api.alerts(status="all")
    assert [(a["source"], a["rule"], a["status"]) for a in alerts] == [
        ("alertmanager", "HighErrorRate", "triggered")
    ]
    assert am.notifications("failed") == 0
    assert pages(running, CHOI) == pages(running, JUNG) == 0


def test_resolution_resolves_the_alert_and_stops_the_escalation(launch, alertmanager_for):
    running = launch(demo_config(Timing(level2_after=60, level3_after=120)))
    am = alertmanager_for(running)
    started = now_minus(1)

    am.push("HighErrorRate", starts_at=started, severity="critical", team="payments")
    running.fake.expect_sms(KIM, "HighErrorRate", timeout=10)
    am.push("HighErrorRate", starts_at=started, ends_at=now_minus(0.5), severity="critical", team="payments")

    def resolved() -> dict | None:
        alerts = running.api.alerts(status="all")
        return alerts[0] if alerts and alerts[0]["status"] == "resolved" else None

    alert = wait_until(resolved, 10, what="the alert resolved by Alertmanager")
    assert alert["resolved_by"] == "source"
    assert len(running.api.alerts(status="all")) == 1
    # Level 2 is due 60 s and level 3 120 s after the alert came in: past both, neither may page.
    received = datetime.fromisoformat(alert["received_at"])
    assert running.clock.now() < received + timedelta(seconds=60), "resolved too late to show anything"
    running.clock.move_to(received + timedelta(seconds=121))
    stays(lambda: pages(running, CHOI) + pages(running, JUNG) == 0, 1.5, what="no escalation")
    kinds = [e["kind"] for e in running.api.alert(alert["id"])["timeline"]]
    assert "resolved" in kinds and "escalated" not in kinds
