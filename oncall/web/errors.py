"""The one place that turns errors into HTTP answers (JSON for the API)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from oncall.alerts.errors import ActionError, ActionNotAllowed, AlertNotFound, InvalidVote, UnknownAction
from oncall.alerts.intake import PayloadError
from oncall.alerts.service import NoRouteError
from oncall.incidents.errors import (
    ActionItemNotFound,
    IncidentError,
    IncidentNotFound,
    InvalidIncidentInput,
    NobodyOnCall,
    StatusNotAllowed,
    UnknownAlerts,
    UnknownPerson,
    UnknownRotation,
)
from oncall.maintenance.errors import (
    InvalidWindow,
    MaintenanceError,
    WindowAlreadyEnded,
    WindowInYaml,
    WindowNotFound,
)
from oncall.overrides.service import OverrideError, OverrideNotFound
from oncall.payload_types import PATTERN_MESSAGES
from oncall.timeargs import TimeArgError

log = logging.getLogger("oncall.web")


# Paths read by programs (JSON errors); everything else is a page for people.
MACHINE_PATHS = ("/api/", "/twilio/", "/calendar/", "/metrics", "/healthz", "/readyz")


class Unauthorized(Exception):
    """No valid bearer token."""


# The HTTP status of each domain error. The domain says what went wrong; only this table says
# what that means over HTTP (a subclass missing here answers as its nearest listed base).
DOMAIN_STATUSES: dict[type[Exception], int] = {
    PayloadError: 400,
    NoRouteError: 400,
    OverrideError: 400,
    OverrideNotFound: 404,
    ActionError: 409,
    ActionNotAllowed: 409,
    InvalidVote: 400,
    AlertNotFound: 404,
    UnknownAction: 404,
    IncidentError: 400,
    InvalidIncidentInput: 400,
    IncidentNotFound: 404,
    ActionItemNotFound: 404,
    StatusNotAllowed: 409,
    NobodyOnCall: 409,
    UnknownPerson: 422,
    UnknownRotation: 422,
    MaintenanceError: 400,
    InvalidWindow: 400,
    WindowNotFound: 404,
    WindowInYaml: 409,
    WindowAlreadyEnded: 409,
    UnknownAlerts: 422,
}


def status_for(exc: Exception) -> int:
    """The HTTP status a domain error answers with (its own class's, else its nearest base's)."""
    for cls in type(exc).__mro__:
        if cls in DOMAIN_STATUSES:
            return DOMAIN_STATUSES[cls]
    raise LookupError(f"{type(exc).__name__} has no HTTP status in DOMAIN_STATUSES")


def domain_answer(exc: Exception):
    """The JSON answer to a domain error: its status, its message, and the input at fault.

    A thing that is not there (a LookupError) is named by the message alone: the id in the path
    is no field of the request body.
    """
    status = status_for(exc)
    if isinstance(exc, LookupError):
        return error_body(status, getattr(exc, "message", str(exc)))
    return error_body(status, str(exc), getattr(exc, "field", None))


def error_body(status: int, message: str, field: str | None = None):
    body = {"error": message}
    if field:
        body["field"] = field
    return jsonify(body), status


# pydantic's error types in the words of the rest of the API; `{...}` is filled from the context.
VALIDATION_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "unknown field",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "bool_type": "must be true or false",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a list",
    "string_too_long": "is longer than {max_length} characters",
    "string_too_short": "must not be empty",
    "too_long": "has more than {max_length} entries",
    "too_short": "must have at least {min_length} entry",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
}


def field_path(loc: tuple[str | int, ...]) -> str:
    """A pydantic error location as the field path the API names: `alerts[2].startsAt`, `[0].rule`."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def validation_answer(exc: ValidationError) -> tuple[str, str]:
    """(field, message) of the first error of a ValidationError, in the API's words."""
    first = exc.errors(include_url=False)[0]
    kind, ctx = first["type"], first.get("ctx") or {}
    field = field_path(first["loc"])
    if kind.endswith("_type") and first.get("input", "") is None:
        return field, "is required (not null)"
    if kind == "json_invalid":
        return "body", f"not valid JSON ({ctx.get('error', first['msg'])})"
    if kind == "string_pattern_mismatch":
        return field, PATTERN_MESSAGES.get(ctx.get("pattern"), f"must match {ctx.get('pattern')}")
    if kind in VALIDATION_MESSAGES:
        return field, VALIDATION_MESSAGES[kind].format(**ctx)
    message = first["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
    return field, message


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def _invalid(exc: ValidationError):
        field, message = validation_answer(exc)
        return error_body(400, f"{field}: {message}", field)

    @app.errorhandler(TimeArgError)
    def _time_argument(exc: TimeArgError):
        return error_body(400, str(exc), exc.name.lstrip("-"))

    for domain_error in DOMAIN_STATUSES:
        app.register_error_handler(domain_error, domain_answer)

    @app.errorhandler(Unauthorized)
    def _unauthorized(exc: Unauthorized):
        response, status = error_body(401, str(exc) or "a valid bearer token is required")
        response.headers["WWW-Authenticate"] = 'Bearer realm="oncall"'
        return response, status

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _storage(exc: Exception):
        log.error("storage failed: %s", exc.__class__.__name__, exc_info=exc)
        response, status = error_body(503, "storage is unavailable; nothing was stored, retry later")
        response.headers["Retry-After"] = "5"
        return response, status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        if request.path.startswith(MACHINE_PATHS):
            response, status = error_body(status, exc.description or exc.name)
        else:
            # People get a page, not JSON.
            response = app.make_response(
                (render_template("error.html", status=status, name=exc.name, message=exc.description), status)
            )
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status
