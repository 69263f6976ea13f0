"""The OpenAPI 3.1 description of the API and the operations endpoints (served at
`GET /api/v1/openapi.json` by oncall/web/openapi_route.py, built on the first request: a served
worker that is never asked for it does not carry it).

Every request and answer schema is generated from the pydantic models the views validate and
answer with (oncall/alerts/payloads.py, oncall/web/payloads.py), so the document cannot say
something the code does not do. Only the paths, their words and the examples are written here;
tests/web/test_openapi.py checks the paths against `app.url_map` both ways and posts every
example to the real endpoints.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from oncall.alerts import payloads as alert_payloads
from oncall.alerts.payloads import MAX_ALERTS_PER_PAYLOAD
from oncall.payload_types import MAX_RULE, NO_NUL
from oncall.web import openapi_heartbeats, openapi_incidents, openapi_maintenance, payloads
from oncall.web.examples import (
    ACTION_EXAMPLES,
    ALERTMANAGER_EXAMPLE,
    GENERIC_EXAMPLE,
    GRAFANA_EXAMPLE,
    OVERRIDE_EXAMPLE,
    RULE_OVERRIDE_EXAMPLE,
)
from oncall.web.openapi_parts import ID, JSON, REF, errors, json_body, path_param, query_parameters, ref, text

API_TAGS = ("alerts", "schedule", "incidents", "maintenance", "heartbeats", "audit")

# Request bodies are described as validated, answers as serialized.
REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    alert_payloads.AlertmanagerWebhook,
    alert_payloads.GrafanaWebhook,
    alert_payloads.GenericBody,
    payloads.ActionBody,
    payloads.NewOverride,
    payloads.RuleOverrideBody,
    *openapi_incidents.REQUEST_MODELS,
    *openapi_maintenance.REQUEST_MODELS,
)
ANSWER_MODELS: tuple[type[BaseModel], ...] = (
    payloads.Error,
    payloads.IngestResult,
    payloads.AlertList,
    payloads.AlertWithTimeline,
    payloads.ActionResult,
    payloads.OncallView,
    payloads.OverrideList,
    payloads.Override,
    payloads.AuditRun,
    payloads.AuditSavings,
    payloads.RuleOverrideResult,
    *openapi_incidents.ANSWER_MODELS,
    *openapi_maintenance.ANSWER_MODELS,
    *openapi_heartbeats.ANSWER_MODELS,
)


def component_schemas() -> dict[str, Any]:
    """The schemas of every payload model, keyed by model name, as OpenAPI components."""
    pairs = [(m, "validation") for m in REQUEST_MODELS] + [(m, "serialization") for m in ANSWER_MODELS]
    _, top = models_json_schema(pairs, ref_template=REF)
    return top["$defs"]


# --- building blocks (the shared ones are in oncall/web/openapi_parts.py) ---------------------

ERRORS = {
    400: "malformed input; `field` names it (nothing stored)",
    401: "missing, invalid or revoked bearer token",
    404: "no such alert, override or action",
    409: "the action does not apply in this state",
    413: "body larger than ONCALL_MAX_BODY_BYTES",
    503: "storage unavailable; nothing stored, retry (Retry-After)",
}


def _errors(*codes: int) -> dict:
    return errors(ERRORS, *codes)


def _ingest(summary: str, model: type[BaseModel], example: dict, description: str) -> dict:
    return {
        "post": {
            "tags": ["alerts"],
            "summary": summary,
            "description": description,
            "requestBody": {
                "required": True,
                **json_body(ref(model), "the payload", {"firing": {"value": example}}),
            },
            "responses": {
                "201": json_body(
                    ref(payloads.IngestResult), "stored; at least one new alert (paged at once)"
                ),
                "200": json_body(ref(payloads.IngestResult), "stored; nothing new (repeats or resolutions)"),
                **_errors(400, 401, 413, 503),
            },
        }
    }


def _plain(tag: str, summary: str, responses: dict, **extra) -> dict:
    return {"tags": [tag], "summary": summary, "security": [], "responses": responses, **extra}


# --- the paths -----------------------------------------------------------------------------

ALERT_ID = path_param("alert_id", ID, "the alert's id")
ANY_OBJECT = {"type": "object"}


def _alert_paths() -> dict:
    return {
        "/api/v1/alerts/alertmanager": _ingest(
            "Alertmanager webhook (version 4)",
            alert_payloads.AlertmanagerWebhook,
            ALERTMANAGER_EXAMPLE,
            "Point an Alertmanager receiver here (docs/alertmanager.md). A grouped payload is "
            "stored in one transaction; a repeat of a firing alert pages nobody again.",
        ),
        "/api/v1/alerts/grafana": _ingest(
            "Grafana alerting webhook",
            alert_payloads.GrafanaWebhook,
            GRAFANA_EXAMPLE,
            "A Grafana webhook contact point. The rule is `ruleUID` (or label `__alert_rule_uid__`).",
        ),
        "/api/v1/alerts": {
            **_ingest(
                "Generic JSON alert (one or a list)",
                alert_payloads.GenericBody,
                GENERIC_EXAMPLE,
                "Any other source: one alert or a list of 1 to "
                f"{MAX_ALERTS_PER_PAYLOAD}. Unknown fields are refused (400) so typos are not lost.",
            ),
            "get": {
                "tags": ["alerts"],
                "summary": "Alerts, newest first, a page at a time (`next` continues, `total` counts all)",
                "parameters": query_parameters(payloads.AlertsQuery),
                "responses": {
                    "200": json_body(ref(payloads.AlertList), "the alerts (without timelines)"),
                    **_errors(400, 401),
                },
            },
        },
        "/api/v1/alerts/{alert_id}": {
            "get": {
                "tags": ["alerts"],
                "summary": "One alert with its timeline",
                "parameters": [ALERT_ID],
                "responses": {
                    "200": json_body(ref(payloads.AlertWithTimeline), "the alert and `timeline`"),
                    **_errors(401, 404),
                },
            }
        },
        "/api/v1/alerts/{alert_id}/{action}": {
            "post": {
                "tags": ["alerts"],
                "summary": "Acknowledge, resolve, escalate or vote",
                "description": "What an SMS reply or a phone key does, from the API. `person` is a person "
                "key of the configuration (400 otherwise) and defaults to `token:<name>`. `vote` takes "
                "`value`: actionable or noise (feeds the auditor).",
                "parameters": [
                    ALERT_ID,
                    path_param("action", {"enum": ["ack", "resolve", "escalate", "vote"]}, "what to do"),
                ],
                "requestBody": {
                    "required": False,
                    **json_body(
                        ref(payloads.ActionBody),
                        "who acts, and the vote",
                        ACTION_EXAMPLES,
                    ),
                },
                "responses": {
                    "200": json_body(
                        ref(payloads.ActionResult),
                        "`result` says what happened, e.g. acknowledged or already resolved",
                    ),
                    **_errors(400, 401, 404, 409, 413),
                },
            }
        },
    }


def _schedule_paths() -> dict:
    return {
        "/api/v1/oncall": {
            "get": {
                "tags": ["schedule"],
                "summary": "Who is on call: every rotation and escalation policy",
                "parameters": query_parameters(payloads.OncallQuery),
                "responses": {
                    "200": json_body(
                        ref(payloads.OncallView),
                        "the on-call picture",
                    ),
                    **_errors(400, 401),
                },
            }
        },
        "/api/v1/overrides": {
            "get": {
                "tags": ["schedule"],
                "summary": "Overrides made through the API that are in force",
                "responses": {
                    "200": json_body(ref(payloads.OverrideList), "the overrides"),
                    **_errors(401),
                },
            },
            "post": {
                "tags": ["schedule"],
                "summary": "Put someone on call for a window",
                "requestBody": {
                    "required": True,
                    **json_body(
                        ref(payloads.NewOverride), "the override", {"swap": {"value": OVERRIDE_EXAMPLE}}
                    ),
                },
                "responses": {
                    "201": json_body(ref(payloads.Override), "created"),
                    **_errors(400, 401, 413),
                },
            },
        },
        "/api/v1/overrides/{override_id}": {
            "delete": {
                "tags": ["schedule"],
                "summary": "Remove an API override",
                "parameters": [path_param("override_id", ID, "from POST /api/v1/overrides")],
                "responses": {"204": {"description": "removed"}, **_errors(401, 404)},
            }
        },
    }


AUDIT_REPORT = {
    "type": "object",
    "required": ["rules", "load", "savings", "sample", "mode", "inferred_pages"],
    "properties": {
        "mode": {"enum": ["auto", "propose"], "description": "always propose for sample data"},
        "sample": {
            "type": "boolean",
            "description": "true while the report is built from the demo's generated history "
            "(`audit sample`): no real alert and no real import is stored yet; nothing is applied",
        },
        "savings": {**ref(payloads.AuditSavings), "description": "the window before -> after the demotions"},
        "inferred_pages": {
            "type": "integer",
            "minimum": 0,
            "description": "pages in the window inferred from an acknowledgement or the on-call at the time "
            "(imports from tools whose history has no notification records)",
        },
        "rules": {"type": "array", "items": {"type": "object"}, "description": "ranked, noisiest first"},
        "load": {"type": "array", "items": {"type": "object"}, "description": "pages per person"},
        "maintenance": {
            "type": "array",
            "items": {"type": "object"},
            "description": "per maintenance window: alerts that arrived in it and paged nobody "
            "(`alerts`, `would_be_pages`, `rules`), left out of the rules' counts",
        },
    },
}


def _audit_paths() -> dict:
    return {
        "/api/v1/audit/report": {
            "get": {
                "tags": ["audit"],
                "summary": "The alert-noise report (changes nothing)",
                "parameters": query_parameters(payloads.AuditReportQuery),
                "responses": {
                    "200": {
                        "description": "rules ranked by non-actionable pages per week, with scores and decisions",
                        "content": {
                            JSON: {"schema": AUDIT_REPORT},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(400, 401),
                },
            }
        },
        "/api/v1/audit/run": {
            "post": {
                "tags": ["audit"],
                "summary": "Score every rule and, in auto mode, apply the decisions",
                "parameters": query_parameters(payloads.AuditRunQuery),
                "responses": {
                    "200": json_body(
                        ref(payloads.AuditRun),
                        "the decisions applied",
                    ),
                    **_errors(400, 401),
                },
            }
        },
        "/api/v1/audit/rules/{rule}/{action}": {
            "post": {
                "tags": ["audit"],
                "summary": "A person overrides the auditor: undo its last change, pin or unpin a rule",
                "parameters": [
                    path_param(
                        "rule",
                        {"type": "string", "minLength": 1, "maxLength": MAX_RULE, "pattern": NO_NUL},
                        "the rule key; may contain '/'",
                    ),
                    path_param("action", {"enum": ["undo", "pin", "unpin"]}, "undo, pin or unpin"),
                ],
                "requestBody": {
                    "required": False,
                    **json_body(
                        ref(payloads.RuleOverrideBody),
                        "who (default token:<name>)",
                        {"pin": {"value": RULE_OVERRIDE_EXAMPLE}},
                    ),
                },
                "responses": {
                    "200": json_body(
                        ref(payloads.RuleOverrideResult),
                        "done",
                    ),
                    **_errors(400, 401, 413),
                    "409": json_body(ref(payloads.Error), "nothing to undo"),
                },
            }
        },
    }


def _operations_paths() -> dict:
    return {
        "/api/v1/openapi.json": {
            "get": _plain("operations", "This document", {"200": json_body(ANY_OBJECT, "OpenAPI 3.1")})
        },
        "/healthz": {
            "get": _plain(
                "operations",
                "The process answers; says whether a configuration edit was rejected",
                {"200": json_body(ANY_OBJECT, '{"status": "ok", "config": {"status": "rejected", ...}}')},
            )
        },
        "/readyz": {
            "get": _plain(
                "operations",
                "Ready: the database takes a write and the engine made progress within 10 s",
                {
                    "200": json_body(ANY_OBJECT, '{"status": "ready", "checks": {...}}'),
                    "503": json_body(
                        ANY_OBJECT, '{"status": "not ready", "checks": {...}} naming the failed check'
                    ),
                },
            )
        },
        "/metrics": {
            "get": _plain(
                "operations",
                "Prometheus metrics (oncall_*, alertaudit_*), merged over gunicorn workers",
                {"200": text("text/plain", "the Prometheus text format")},
            )
        },
        "/calendar/{token}.ics": {
            "get": _plain(
                "operations",
                "A calendar feed (docs/calendar.md); the secret token is the credential",
                {
                    "200": text("text/calendar", "iCalendar with an ETag"),
                    "304": {"description": "not modified (If-None-Match matched)"},
                    "404": {"description": "wrong or revoked token"},
                },
                parameters=[path_param("token", {"type": "string"}, "the feed's secret token")],
            )
        },
    }


def build_document() -> dict:
    """The whole OpenAPI 3.1 document as plain data (a fresh copy each call)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "oncall",
            "version": "1",
            "summary": "On-call scheduling, paging and alert hygiene",
            "description": "Every /api/v1 endpoint but this document needs `Authorization: Bearer "
            "<token>` (`python -m oncall token create NAME`). Errors are `{error, field}`. The "
            "Twilio webhooks under /twilio are signed by Twilio and documented in docs/twilio.md; "
            "Slack's button presses at /slack/interactions are signed by Slack (docs/channels.md).",
        },
        "tags": [{"name": name} for name in (*API_TAGS, "operations")],
        "security": [{"bearer": []}],
        "paths": {
            **_alert_paths(),
            **_schedule_paths(),
            **openapi_incidents.incident_paths(),
            **openapi_maintenance.maintenance_paths(),
            **openapi_heartbeats.heartbeat_paths(),
            **_audit_paths(),
            **_operations_paths(),
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "an API token from the CLI"}
            },
            "schemas": component_schemas(),
        },
    }


@functools.cache
def document() -> dict:
    """The document, built once on first use (callers must not change it)."""
    return build_document()
