"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API and the operations endpoints.

The document is plain data built here, next to the code it describes; tests/web/test_openapi.py
checks it against `app.url_map` both ways and posts every example to the real endpoints, so the
document cannot drift from the routes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from oncall.web.openapi_schemas import (
    ACTION_EXAMPLES,
    ALERTMANAGER_EXAMPLE,
    GENERIC_EXAMPLE,
    GRAFANA_EXAMPLE,
    OVERRIDE_EXAMPLE,
    RULE_OVERRIDE_EXAMPLE,
    SCHEMAS,
    TIME,
)

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

JSON = "application/json"
API_TAGS = ("alerts", "schedule", "audit")

# --- building blocks -----------------------------------------------------------------------


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, examples: dict | None = None) -> dict:
    content: dict[str, Any] = {"schema": schema}
    if examples:
        content["examples"] = examples
    return {"description": description, "content": {JSON: content}}


def _errors(*codes: int) -> dict:
    meaning = {
        400: "malformed input; `field` names it (nothing stored)",
        401: "missing, invalid or revoked bearer token",
        404: "no such alert or action",
        409: "the action does not apply in this state",
        413: "body larger than ONCALL_MAX_BODY_BYTES",
        503: "storage unavailable; nothing stored, retry (Retry-After)",
    }
    return {str(code): _json(_ref("Error"), meaning[code]) for code in codes}


def _ingest(summary: str, schema: str, example: dict, description: str) -> dict:
    return {
        "post": {
            "tags": ["alerts"],
            "summary": summary,
            "description": description,
            "requestBody": {
                "required": True,
                **_json(_body_schema(schema), "the payload", {"firing": {"value": example}}),
            },
            "responses": {
                "201": _json(_ref("IngestResult"), "stored; at least one new alert (paged at once)"),
                "200": _json(_ref("IngestResult"), "stored; nothing new (repeats or resolutions)"),
                **_errors(400, 401, 413, 503),
            },
        }
    }


def _body_schema(name: str) -> dict:
    """A `$ref` to a schema, or for the generic API: one alert or a list of them."""
    if name == "GenericAlert":
        return {
            "oneOf": [_ref(name), {"type": "array", "minItems": 1, "maxItems": 5000, "items": _ref(name)}]
        }
    return _ref(name)


def _path_param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _plain(tag: str, summary: str, responses: dict, **extra) -> dict:
    return {"tags": [tag], "summary": summary, "security": [], "responses": responses, **extra}


def _text(media: str, description: str) -> dict:
    return {"description": description, "content": {media: {"schema": {"type": "string"}}}}


# --- the paths -----------------------------------------------------------------------------

ALERT_ID = _path_param("alert_id", {"type": "integer", "minimum": 1}, "the alert's id")
ANY_OBJECT = {"type": "object"}


def _alert_paths() -> dict:
    return {
        "/api/v1/alerts/alertmanager": _ingest(
            "Alertmanager webhook (version 4)",
            "AlertmanagerWebhook",
            ALERTMANAGER_EXAMPLE,
            "Point an Alertmanager receiver here (docs/alertmanager.md). A grouped payload is "
            "stored in one transaction; a repeat of a firing alert pages nobody again.",
        ),
        "/api/v1/alerts/grafana": _ingest(
            "Grafana alerting webhook",
            "GrafanaWebhook",
            GRAFANA_EXAMPLE,
            "A Grafana webhook contact point. The rule is `ruleUID` (or label `__alert_rule_uid__`).",
        ),
        "/api/v1/alerts": {
            **_ingest(
                "Generic JSON alert (one or a list)",
                "GenericAlert",
                GENERIC_EXAMPLE,
                "Any other source. Unknown fields are refused (400) so typos are not lost.",
            ),
            "get": {
                "tags": ["alerts"],
                "summary": "Recent alerts, newest first",
                "parameters": [
                    _query(
                        "status",
                        {"enum": ["open", "all", "triggered", "acknowledged", "resolved"], "default": "open"},
                        "open = not resolved",
                    ),
                    _query("limit", {"type": "integer", "default": 200, "maximum": 1000}, "at most 1000"),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"alerts": {"type": "array", "items": _ref("Alert")}},
                        },
                        "the alerts (without timelines)",
                    ),
                    **_errors(400, 401),
                },
            },
        },
        "/api/v1/alerts/{alert_id}": {
            "get": {
                "tags": ["alerts"],
                "summary": "One alert with its timeline",
                "parameters": [ALERT_ID],
                "responses": {"200": _json(_ref("Alert"), "the alert and `timeline`"), **_errors(401, 404)},
            }
        },
        "/api/v1/alerts/{alert_id}/{action}": {
            "post": {
                "tags": ["alerts"],
                "summary": "Acknowledge, resolve, escalate or vote",
                "description": "What an SMS reply or a phone key does, from the API. `person` defaults to "
                "`token:<name>`. `vote` takes `value`: actionable or noise (feeds the auditor).",
                "parameters": [
                    ALERT_ID,
                    _path_param("action", {"enum": ["ack", "resolve", "escalate", "vote"]}, "what to do"),
                ],
                "requestBody": {
                    "required": False,
                    **_json(
                        {
                            "type": "object",
                            "properties": {
                                "person": {"type": "string", "description": "who did it (a person key)"},
                                "value": {"enum": ["actionable", "noise"], "description": "for vote"},
                            },
                        },
                        "who acts, and the vote",
                        ACTION_EXAMPLES,
                    ),
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"result": {"type": "string"}, "alert": _ref("Alert")},
                        },
                        "`result` says what happened, e.g. acknowledged or already resolved",
                    ),
                    **_errors(400, 401, 404, 409),
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
                "parameters": [_query("at", TIME, "ISO 8601 with a zone; default now")],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "at": TIME,
                                "rotations": {
                                    "type": "object",
                                    "description": "per rotation: person, name, kind "
                                    "(regular/override/cover/gap), since, until, replaces, next",
                                    "additionalProperties": ANY_OBJECT,
                                },
                                "escalations": {
                                    "type": "object",
                                    "description": "per policy: the levels with after_seconds, when, people",
                                    "additionalProperties": {"type": "array", "items": ANY_OBJECT},
                                },
                            },
                        },
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
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"overrides": {"type": "array", "items": _ref("Override")}},
                        },
                        "the overrides",
                    ),
                    **_errors(401),
                },
            },
            "post": {
                "tags": ["schedule"],
                "summary": "Put someone on call for a window",
                "requestBody": {
                    "required": True,
                    **_json(_ref("NewOverride"), "the override", {"swap": {"value": OVERRIDE_EXAMPLE}}),
                },
                "responses": {
                    "201": _json(_ref("Override"), "created"),
                    **_errors(400, 401),
                },
            },
        },
        "/api/v1/overrides/{override_id}": {
            "delete": {
                "tags": ["schedule"],
                "summary": "Remove an API override",
                "parameters": [
                    _path_param("override_id", {"type": "integer"}, "from POST /api/v1/overrides")
                ],
                "responses": {"204": {"description": "removed"}, **_errors(400, 401)},
            }
        },
    }


def _audit_paths() -> dict:
    since = _query("since", {"type": "string", "examples": ["30d"]}, "window (e.g. 30d); default 90 days")
    return {
        "/api/v1/audit/report": {
            "get": {
                "tags": ["audit"],
                "summary": "The alert-noise report (changes nothing)",
                "parameters": [
                    since,
                    _query("format", {"enum": ["json", "csv"], "default": "json"}, "json or csv"),
                ],
                "responses": {
                    "200": {
                        "description": "rules ranked by non-actionable pages per week, with scores and decisions",
                        "content": {JSON: {"schema": ANY_OBJECT}, "text/csv": {"schema": {"type": "string"}}},
                    },
                    **_errors(400, 401),
                },
            }
        },
        "/api/v1/audit/run": {
            "post": {
                "tags": ["audit"],
                "summary": "Score every rule and, in auto mode, apply the decisions",
                "parameters": [since],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "applied": {"type": "array", "items": {"type": "string"}},
                                "mode": {"enum": ["auto", "propose"]},
                            },
                        },
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
                    _path_param("rule", {"type": "string"}, "the rule key; may contain '/'"),
                    _path_param("action", {"enum": ["undo", "pin", "unpin"]}, "undo, pin or unpin"),
                ],
                "requestBody": {
                    "required": False,
                    **_json(
                        {"type": "object", "properties": {"by": {"type": "string"}}},
                        "who (default token:<name>)",
                        {"pin": {"value": RULE_OVERRIDE_EXAMPLE}},
                    ),
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "rule": {"type": "string"},
                                "action": {"type": "string"},
                                "pinned": {"type": "boolean"},
                            },
                        },
                        "done",
                    ),
                    **_errors(400, 401),
                    "409": _json(_ref("Error"), "nothing to undo"),
                },
            }
        },
    }


def _operations_paths() -> dict:
    return {
        "/api/v1/openapi.json": {
            "get": _plain("operations", "This document", {"200": _json(ANY_OBJECT, "OpenAPI 3.1")})
        },
        "/healthz": {
            "get": _plain(
                "operations",
                "The process answers; says whether a configuration edit was rejected",
                {"200": _json(ANY_OBJECT, '{"status": "ok", "config": {"status": "rejected", ...}}')},
            )
        },
        "/readyz": {
            "get": _plain(
                "operations",
                "Ready: the database takes a write and the engine made progress within 10 s",
                {
                    "200": _json(ANY_OBJECT, '{"status": "ready", "checks": {...}}'),
                    "503": _json(
                        ANY_OBJECT, '{"status": "not ready", "checks": {...}} naming the failed check'
                    ),
                },
            )
        },
        "/metrics": {
            "get": _plain(
                "operations",
                "Prometheus metrics (oncall_*, alertaudit_*), merged over gunicorn workers",
                {"200": _text("text/plain", "the Prometheus text format")},
            )
        },
        "/calendar/{token}.ics": {
            "get": _plain(
                "operations",
                "A calendar feed (docs/calendar.md); the secret token is the credential",
                {
                    "200": _text("text/calendar", "iCalendar with an ETag"),
                    "304": {"description": "not modified (If-None-Match matched)"},
                    "404": {"description": "wrong or revoked token"},
                },
                parameters=[_path_param("token", {"type": "string"}, "the feed's secret token")],
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
            "Twilio webhooks under /twilio are signed by Twilio and documented in docs/twilio.md.",
        },
        "tags": [{"name": name} for name in (*API_TAGS, "operations")],
        "security": [{"bearer": []}],
        "paths": {**_alert_paths(), **_schedule_paths(), **_audit_paths(), **_operations_paths()},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "an API token from the CLI"}
            },
            "schemas": SCHEMAS,
        },
    }


DOCUMENT = build_document()


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI document; no token needed (it holds no secret)."""
    return jsonify(DOCUMENT)
