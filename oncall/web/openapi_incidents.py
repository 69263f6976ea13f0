"""The incidents part of the OpenAPI document: paths under /api/v1/incidents and /api/v1/action-items.

The schemas come from oncall/web/incident_payloads.py; oncall/web/openapi.py adds these paths and
models to the one document (this module imports nothing from it, so there is no cycle).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from oncall.web import incident_payloads as p
from oncall.web.api_incidents import MAX_POSTMORTEM_BYTES
from oncall.web.openapi_parts import ID, errors, json_body, path_param, query_parameters, ref, text

TAG = "incidents"
MARKDOWN = "text/markdown"
INCIDENT_ID = path_param("incident_id", ID, "INC-<id>'s id")
ITEM_ID = path_param("item_id", ID, "the action item's id")

REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    p.NewIncident,
    p.AttachAlerts,
    p.RolesBody,
    p.StatusUpdate,
    p.NewNote,
    p.NewActionItem,
    p.ActionItemChange,
)
ANSWER_MODELS: tuple[type[BaseModel], ...] = (
    p.Incident,
    p.IncidentDetail,
    p.IncidentList,
    p.ActionItem,
    p.ActionItemList,
    p.IncidentMetrics,
)

ERRORS = {
    400: "malformed input; `field` names it (nothing stored)",
    401: "missing, invalid or revoked bearer token",
    404: "no such incident or action item",
    409: "not allowed now: a status that cannot follow the current one (the message names both and "
    "the allowed ones), or a rotation with nobody on call",
    413: "body too large",
    415: "the postmortem is sent as text/markdown",
    422: "an unknown person, rotation or alert id (the message suggests the nearest)",
}

EXAMPLES = {
    "declare": {"title": "Payment API error rate 45%", "severity": "SEV-1", "roles": {"commander": "kim"}},
    "roles": {"commander": "kim", "sme": "lee", "scribe": {"rotation": "payments"}},
    "update": {"status": "Identified", "impact": "Payment API, all users", "next_update_in": "15m"},
    "attach": {"alert_ids": [1]},
    "note": {"text": "slow query log shows a full table scan", "person": "lee"},
    "action_item": {
        "title": "Add EXPLAIN ANALYZE validation to CI pipeline",
        "owner": "lee",
        "due": "2026-03-27",
        "priority": "P1",
    },
    "done": {"done": True},
}


def _errors(*codes: int) -> dict:
    return errors(ERRORS, *codes)


def _json(model: type[BaseModel], description: str) -> dict:
    return json_body(ref(model), description)


def _body(model: type[BaseModel], description: str, example: str) -> dict:
    body = json_body(ref(model), description, {example: {"value": EXAMPLES[example]}})
    return {"required": True, **body}


def _operation(summary: str, responses: dict, **extra: Any) -> dict:
    return {"tags": [TAG], "summary": summary, "responses": responses, **extra}


def _markdown(description: str) -> dict:
    return text(MARKDOWN, description)


def incident_paths() -> dict:
    """Every incidents and action-items path of the API."""
    return {
        "/api/v1/incidents": {
            "post": _operation(
                "Declare an incident (status Investigating)",
                {"201": _json(p.Incident, "declared"), **_errors(400, 401, 409, 413, 422)},
                description="Roles not given come from the configuration's `incidents.roles` defaults. "
                "People given a role are paged (SEV-1/2) or told by SMS in business hours (SEV-3/4).",
                requestBody=_body(p.NewIncident, "the incident", "declare"),
            ),
            "get": _operation(
                "Incidents, newest first, a page at a time",
                {"200": _json(p.IncidentList, "one page; `next` continues it"), **_errors(400, 401)},
                parameters=query_parameters(p.IncidentsQuery),
            ),
        },
        "/api/v1/incidents/metrics": {
            "get": _operation(
                "MTTD, MTTA, MTTM and MTTR of the incidents declared in the window",
                {
                    "200": _json(p.IncidentMetrics, "means in seconds (null where none was measured)"),
                    **_errors(400, 401),
                },
                parameters=query_parameters(p.MetricsQuery),
            )
        },
        "/api/v1/incidents/{incident_id}": {
            "get": _operation(
                "One incident with its timeline and action items",
                {"200": _json(p.IncidentDetail, "the incident"), **_errors(401, 404)},
                parameters=[INCIDENT_ID],
            )
        },
        "/api/v1/incidents/{incident_id}/alerts": {
            "post": _operation(
                "Attach alerts (ones attached already are skipped)",
                {"200": _json(p.Incident, "attached"), **_errors(400, 401, 404, 413, 422)},
                parameters=[INCIDENT_ID],
                requestBody=_body(p.AttachAlerts, "the alert ids", "attach"),
            )
        },
        "/api/v1/incidents/{incident_id}/roles": {
            "put": _operation(
                'Give roles: any subset, each a person key or {"rotation": NAME}',
                {"200": _json(p.Incident, "the roles now"), **_errors(400, 401, 404, 409, 413, 422)},
                parameters=[INCIDENT_ID],
                requestBody=_body(p.RolesBody, "the roles to give", "roles"),
            )
        },
        "/api/v1/incidents/{incident_id}/updates": {
            "post": _operation(
                "Post a status update",
                {
                    "201": _json(p.Incident, "posted; `next_update_due_at` says when the next is due"),
                    **_errors(400, 401, 404, 409, 413),
                },
                description="Status moves forward only (Investigating, Identified, Monitoring, Resolved, "
                "Post-Incident; skipping allowed), except that Monitoring may return to Identified.",
                parameters=[INCIDENT_ID],
                requestBody=_body(p.StatusUpdate, "the update", "update"),
            )
        },
        "/api/v1/incidents/{incident_id}/notes": {
            "post": _operation(
                "Add a note to the timeline",
                {"201": _json(p.Incident, "noted"), **_errors(400, 401, 404, 413)},
                parameters=[INCIDENT_ID],
                requestBody=_body(p.NewNote, "the note", "note"),
            )
        },
        "/api/v1/incidents/{incident_id}/postmortem": {
            "get": _operation(
                "The postmortem draft in Markdown (the saved one, else generated from the incident)",
                {"200": _markdown("the draft"), **_errors(401, 404)},
                parameters=[INCIDENT_ID],
            ),
            "put": _operation(
                "Save an edited postmortem draft; later GETs return it",
                {"200": _markdown("the saved draft"), **_errors(400, 401, 404, 413, 415)},
                parameters=[INCIDENT_ID, *query_parameters(p.PostmortemQuery)],
                requestBody={
                    "required": True,
                    "description": f"Markdown, UTF-8, at most {MAX_POSTMORTEM_BYTES:,} bytes",
                    "content": {MARKDOWN: {"schema": {"type": "string", "minLength": 1}}},
                },
            ),
        },
        "/api/v1/incidents/{incident_id}/action-items": {
            "post": _operation(
                "Add an action item",
                {"201": _json(p.ActionItem, "added"), **_errors(400, 401, 404, 413, 422)},
                parameters=[INCIDENT_ID],
                requestBody=_body(p.NewActionItem, "the action item", "action_item"),
            )
        },
        "/api/v1/action-items": {
            "get": _operation(
                "Action items of every incident, soonest due first",
                {"200": _json(p.ActionItemList, "the items"), **_errors(400, 401)},
                parameters=query_parameters(p.ActionItemsQuery),
            )
        },
        "/api/v1/action-items/{item_id}": {
            "patch": _operation(
                "Mark an action item done (or open again)",
                {"200": _json(p.ActionItem, "the item"), **_errors(400, 401, 404, 413)},
                parameters=[ITEM_ID],
                requestBody=_body(p.ActionItemChange, "done or not", "done"),
            )
        },
    }
