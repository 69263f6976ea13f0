"""The demo configuration with two heartbeats, served in process on a clock the test moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.escalation.pager import Pager

HEARTBEATS = """
heartbeats:
  prometheus:                      # the Seoul Prometheus' Watchdog, through Alertmanager
    every: 60s
    grace: 30s
    escalation: payments
    match: {cluster: seoul}
  backup:                          # a nightly job that calls the API
    every: 1h
    grace: 0s
    escalation: payments
    alertname: BackupDone
    severity: SEV-1
"""


@pytest.fixture
def config_path(config_path: Path) -> Path:
    """The demo configuration plus the two heartbeats."""
    config_path.write_text(config_path.read_text() + HEARTBEATS)
    return config_path


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def watchdog(status: str = "firing", cluster: str = "seoul") -> dict:
    """An Alertmanager webhook delivery holding one always-firing Watchdog."""
    return {
        "version": "4",
        "status": status,
        "receiver": "oncall-heartbeat",
        "groupKey": '{}:{alertname="Watchdog"}',
        "alerts": [
            {
                "status": status,
                "labels": {"alertname": "Watchdog", "severity": "none", "cluster": cluster},
                "annotations": {"summary": "An alert that should always be firing"},
                "startsAt": "2026-03-03T01:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": f"watchdog-{cluster}",
            }
        ],
    }
