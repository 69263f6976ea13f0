"""The maintenance part of the OpenAPI document: paths under /api/v1/maintenance.

The schemas come from oncall/web/maintenance_payloads.py; oncall/web/openapi.py adds these paths
and models to the one document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from oncall.web import maintenance_payloads as p
from oncall.web.openapi_parts import errors, json_body, path_param, query_parameters, ref

TAG = "maintenance"
WINDOW_ID = path_param(
    "window_id",
    {"type": "string", "minLength": 1, "maxLength": 40},
    'the window\'s id: "3" for an ad hoc window ("yaml:0" names a YAML window, which cannot be ended here)',
)
REQUEST_MODELS: tuple[type[BaseModel], ...] = (p.NewWindow, p.EndWindow)
ANSWER_MODELS: tuple[type[BaseModel], ...] = (p.Window, p.WindowList, p.EndedWindow)
ERRORS = {
    400: "malformed input; `field` names it (nothing stored): no labels and no match_all, no reason, "
    "both or neither of duration and ends_at, an end not after the start or already past",
    401: "missing, invalid or revoked bearer token",
    404: "no maintenance window with that id",
    409: "a YAML window (edit the file to end it), or a window already over",
    413: "body too large",
}
EXAMPLES = {
    "start": {"match": {"service": "payments"}, "duration": "2h", "reason": "DB migration"},
}


def _operation(summary: str, responses: dict, **extra: Any) -> dict:
    return {"tags": [TAG], "summary": summary, "responses": responses, **extra}


def _body(model: type[BaseModel], description: str, example: str | None = None) -> dict:
    examples = {example: {"value": EXAMPLES[example]}} if example else None
    return {"required": example is not None, **json_body(ref(model), description, examples)}


def maintenance_paths() -> dict:
    """Every maintenance path of the API."""
    return {
        "/api/v1/maintenance": {
            "post": _operation(
                "Start a maintenance window: matching alerts are stored but page nobody until it ends",
                {"201": json_body(ref(p.Window), "started"), **errors(ERRORS, 400, 401, 413)},
                description="Alerts arriving while it is active whose labels include every item of "
                "`match` (or every alert with `match_all`) are marked with the window and page nobody; "
                "those still firing when it ends page then, from level 1.",
                requestBody=_body(p.NewWindow, "the window", "start"),
            ),
            "get": _operation(
                "Maintenance windows active or ahead (YAML and ad hoc), soonest first",
                {"200": json_body(ref(p.WindowList), "the windows"), **errors(ERRORS, 400, 401)},
                parameters=query_parameters(p.WindowsQuery),
            ),
        },
        "/api/v1/maintenance/{window_id}/end": {
            "post": _operation(
                "End an ad hoc window now: the alerts it holds page now",
                {"200": json_body(ref(p.EndedWindow), "ended"), **errors(ERRORS, 400, 401, 404, 409, 413)},
                parameters=[WINDOW_ID],
                requestBody=_body(p.EndWindow, "who ends it (optional)"),
            ),
        },
    }
