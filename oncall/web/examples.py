"""The example payloads of the OpenAPI document (oncall/web/openapi.py).

Every example here is posted to the real endpoint by tests/web/test_openapi.py. The schemas
themselves come from the payload models (oncall/alerts/payloads.py, oncall/web/payloads.py).
"""

from __future__ import annotations

# --- examples (each one is posted to the real endpoint by the tests) ----------------------

ALERTMANAGER_EXAMPLE = {
    "version": "4",
    "groupKey": '{}:{alertname="HighErrorRate"}',
    "status": "firing",
    "receiver": "oncall",
    "groupLabels": {"alertname": "HighErrorRate"},
    "commonLabels": {"alertname": "HighErrorRate", "team": "payments", "severity": "critical"},
    "commonAnnotations": {"summary": "error rate 45%"},
    "externalURL": "http://alertmanager:9093",
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "HighErrorRate", "team": "payments", "severity": "critical"},
            "annotations": {
                "summary": "error rate 45%",
                "description": "5xx ratio above 5% for 5 minutes",
                "runbook_url": "https://runbooks.example.com/high-error-rate",
            },
            "startsAt": "2026-03-03T01:58:00.123456789Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph",
            "fingerprint": "c0ffee0123456789",
        }
    ],
}

GRAFANA_EXAMPLE = {
    "receiver": "oncall",
    "status": "firing",
    "orgId": 1,
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "CheckoutLatency", "team": "payments", "severity": "warning"},
            "annotations": {"summary": "p99 checkout latency 2.4 s"},
            "startsAt": "2026-03-03T01:55:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": "9f1e2d3c4b5a6978",
            "ruleUID": "checkout-latency",
        }
    ],
    "groupLabels": {"alertname": "CheckoutLatency"},
    "commonLabels": {"team": "payments"},
    "externalURL": "http://grafana:3000/",
    "version": "1",
}

GENERIC_EXAMPLE = {
    "rule": "HighErrorRate",
    "dedup_key": "payments-api-errors",
    "status": "firing",
    "severity": "critical",
    "summary": "error rate 45%",
    "details": "5xx ratio above 5% for 5 minutes",
    "labels": {"team": "payments"},
    "runbook_url": "https://runbooks.example.com/high-error-rate",
}

OVERRIDE_EXAMPLE = {
    "rotation": "payments",
    "person": "park",
    "start": "2026-03-03T00:00:00Z",
    "end": "2026-03-03T06:00:00Z",
    "reason": "swap with Kim",
}

ACTION_EXAMPLES = {
    "ack": {"summary": "acknowledge", "value": {"person": "kim"}},
    "resolve": {"summary": "resolve", "value": {"person": "kim"}},
    "escalate": {"summary": "page the next level now", "value": {"person": "kim"}},
    "vote": {
        "summary": "vote on whether the page needed a human",
        "value": {"person": "kim", "value": "noise"},
    },
}

RULE_OVERRIDE_EXAMPLE = {"by": "choi"}
