"""Alertmanager webhook payloads (version 4), as Alertmanager posts them to a webhook receiver."""

from __future__ import annotations

import hashlib


def am_alert(
    name: str,
    severity: str = "critical",
    status: str = "firing",
    starts_at: str = "2026-11-27T01:00:00.123456789Z",
    team: str = "payments",
    **labels: str,
) -> dict:
    """One alert of a webhook payload; its fingerprint is derived from its labels, like Alertmanager's."""
    all_labels = {"alertname": name, "severity": severity, "team": team, **labels}
    fingerprint = hashlib.sha256(repr(sorted(all_labels.items())).encode()).hexdigest()[:16]
    return {
        "status": status,
        "labels": all_labels,
        "annotations": {"summary": f"{name} on {team}"},
        "startsAt": starts_at,
        "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else "2026-11-27T01:05:00Z",
        "generatorURL": "http://prometheus.example/graph",
        "fingerprint": fingerprint,
    }


def am_payload(alerts: list[dict], receiver: str = "oncall") -> dict:
    """A grouped webhook notification carrying `alerts`."""
    firing = any(a["status"] == "firing" for a in alerts)
    return {
        "version": "4",
        "groupKey": '{}:{alertname="grouped"}',
        "truncatedAlerts": 0,
        "status": "firing" if firing else "resolved",
        "receiver": receiver,
        "groupLabels": {},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example",
        "alerts": alerts,
    }
