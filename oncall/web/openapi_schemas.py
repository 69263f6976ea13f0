"""The examples and component schemas of the OpenAPI document (oncall/web/openapi.py).

Every example here is posted to the real endpoint by tests/web/test_openapi.py.
"""

from __future__ import annotations

from typing import Any

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

# --- schemas -------------------------------------------------------------------------------

STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
TIME = {"type": "string", "format": "date-time"}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "a plain sentence"},
            "field": {
                "type": "string",
                "description": "the offending field as a JSON path, e.g. alerts[0].startsAt",
            },
        },
    },
    "AlertmanagerAlert": {
        "type": "object",
        "required": ["labels", "fingerprint", "startsAt", "status"],
        "properties": {
            "status": {"enum": ["firing", "resolved"]},
            "labels": STRING_MAP,
            "annotations": {**STRING_MAP, "description": "summary, description and runbook_url are read"},
            "startsAt": {"type": "string", "description": "RFC 3339; nanoseconds allowed"},
            "endsAt": {"type": "string", "description": "RFC 3339; 0001-01-01T00:00:00Z means no end"},
            "generatorURL": {"type": "string"},
            "fingerprint": {"type": "string", "maxLength": 500},
        },
    },
    "AlertmanagerWebhook": {
        "type": "object",
        "description": "Alertmanager webhook version 4. Each alert is one episode: fingerprint + startsAt.",
        "required": ["alerts"],
        "properties": {
            "version": {"type": "string", "const": "4"},
            "status": {"enum": ["firing", "resolved"]},
            "receiver": {"type": "string"},
            "groupKey": {"type": "string"},
            "groupLabels": STRING_MAP,
            "commonLabels": STRING_MAP,
            "commonAnnotations": STRING_MAP,
            "externalURL": {"type": "string"},
            "alerts": {
                "type": "array",
                "maxItems": 5000,
                "items": {"$ref": "#/components/schemas/AlertmanagerAlert"},
            },
        },
    },
    "GrafanaAlert": {
        "type": "object",
        "required": ["labels", "fingerprint", "startsAt", "status"],
        "properties": {
            "status": {"enum": ["firing", "resolved"]},
            "labels": STRING_MAP,
            "annotations": STRING_MAP,
            "startsAt": {"type": "string"},
            "endsAt": {"type": "string"},
            "fingerprint": {"type": "string", "maxLength": 500},
            "ruleUID": {
                "type": "string",
                "description": "the rule's identity (else label __alert_rule_uid__)",
            },
        },
    },
    "GrafanaWebhook": {
        "type": "object",
        "description": "Grafana alerting's webhook contact point; fields not listed are ignored.",
        "required": ["alerts"],
        "properties": {
            "receiver": {"type": "string"},
            "status": {"type": "string"},
            "alerts": {
                "type": "array",
                "maxItems": 5000,
                "items": {"$ref": "#/components/schemas/GrafanaAlert"},
            },
        },
    },
    "GenericAlert": {
        "type": "object",
        "required": ["rule"],
        "additionalProperties": False,
        "properties": {
            "rule": {
                "type": "string",
                "maxLength": 500,
                "description": "the alert rule (what the auditor scores)",
            },
            "dedup_key": {"type": "string", "maxLength": 500, "description": "one episode; default: rule"},
            "status": {"enum": ["firing", "resolved"], "default": "firing"},
            "severity": {"type": "string", "description": "SEV-1..SEV-4 or a value of the configured map"},
            "summary": {"type": "string"},
            "details": {"description": "text, or any JSON (stored as JSON text)"},
            "labels": STRING_MAP,
            "runbook_url": {"type": "string"},
        },
    },
    "IngestResult": {
        "type": "object",
        "required": ["received", "created", "repeated", "resolved", "ignored"],
        "properties": {
            "received": {"type": "integer", "description": "alerts in the payload"},
            "created": {"type": "array", "items": {"type": "integer"}, "description": "new alert ids"},
            "repeated": {"type": "integer", "description": "repeats of alerts already open"},
            "resolved": {"type": "array", "items": {"type": "integer"}, "description": "alert ids resolved"},
            "ignored": {
                "type": "integer",
                "description": "e.g. a resolution of an unknown or closed episode",
            },
        },
    },
    "TimelineEvent": {
        "type": "object",
        "properties": {
            "at": TIME,
            "kind": {"type": "string"},
            "person": {"type": ["string", "null"]},
            "channel": {"type": ["string", "null"]},
            "detail": {"type": ["string", "null"]},
        },
    },
    "Alert": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "source": {"enum": ["alertmanager", "grafana", "api"]},
            "rule": {"type": "string"},
            "status": {"enum": ["triggered", "acknowledged", "resolved"]},
            "severity": {"enum": ["SEV-1", "SEV-2", "SEV-3", "SEV-4"]},
            "base_severity": {"type": "string"},
            "severity_reason": {"type": ["string", "null"]},
            "summary": {"type": "string"},
            "details": {"type": ["string", "null"]},
            "labels": STRING_MAP,
            "runbook_url": {"type": ["string", "null"]},
            "policy": {"type": ["string", "null"]},
            "started_at": TIME,
            "received_at": TIME,
            "acked_at": NULLABLE_TIME,
            "acked_by": {"type": ["string", "null"]},
            "resolved_at": NULLABLE_TIME,
            "resolved_by": {"type": ["string", "null"]},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineEvent"}},
        },
    },
    "Override": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "rotation": {"type": "string"},
            "person": {"type": "string"},
            "start": TIME,
            "end": TIME,
            "reason": {"type": "string"},
        },
    },
    "NewOverride": {
        "type": "object",
        "required": ["rotation", "person", "start", "end"],
        "properties": {
            "rotation": {"type": "string"},
            "person": {"type": "string"},
            "start": {**TIME, "description": "ISO 8601 with a zone (Z or +09:00)"},
            "end": {**TIME, "description": "ISO 8601 with a zone"},
            "reason": {"type": "string"},
        },
    },
}
