"""The heartbeats part of the OpenAPI document: paths under /api/v1/heartbeats.

The schemas come from oncall/web/heartbeat_payloads.py; oncall/web/openapi.py adds these paths and
models to the one document.
"""

from __future__ import annotations

from pydantic import BaseModel

from oncall.web import heartbeat_payloads as p
from oncall.web.openapi_parts import errors, json_body, path_param, ref

TAG = "heartbeats"
MAX_KEY = 100  # the width of the heartbeats.name column
KEY_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"  # a configuration key is one word
NAME = {
    **path_param(
        "heartbeat",
        {"type": "string", "minLength": 1, "maxLength": MAX_KEY, "pattern": KEY_PATTERN},
        "the heartbeat's key in the configuration's `heartbeats`",
    ),
    "example": "prometheus",
}
ANSWER_MODELS: tuple[type[BaseModel], ...] = (p.Heartbeat, p.HeartbeatList)
ERRORS = {
    401: "missing, invalid or revoked bearer token",
    404: "no heartbeat of that name (the message suggests the nearest)",
}


def _operation(summary: str, responses: dict, **extra) -> dict:
    return {"tags": [TAG], "summary": summary, "responses": responses, **extra}


def heartbeat_paths() -> dict:
    """Every heartbeats path of the API."""
    one = json_body(ref(p.Heartbeat), "the heartbeat's state")
    return {
        "/api/v1/heartbeats": {
            "get": _operation(
                "Every configured heartbeat with its state (ok, late, missing)",
                {"200": json_body(ref(p.HeartbeatList), "by name"), **errors(ERRORS, 401)},
            )
        },
        "/api/v1/heartbeats/{heartbeat}": {
            "post": _operation(
                "A beat: the heartbeat is alive (no body needed; any body is ignored)",
                {"200": one, **errors(ERRORS, 401, 404)},
                description="Restarts the heartbeat's clock: it is missing when `every + grace` "
                "passes without another beat. A beat after a miss resolves the missing alert.",
                parameters=[NAME],
            ),
            "get": _operation(
                "One heartbeat's state",
                {"200": one, **errors(ERRORS, 401, 404)},
                parameters=[NAME],
            ),
        },
    }
