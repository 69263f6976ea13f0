"""The one place that turns errors into HTTP answers (JSON for the API)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from oncall.alerts.actions import ActionError
from oncall.alerts.intake import PayloadError
from oncall.alerts.service import NoRouteError
from oncall.overrides.service import OverrideError

log = logging.getLogger("oncall.web")


# Paths read by programs (JSON errors); everything else is a page for people.
MACHINE_PATHS = ("/api/", "/twilio/", "/calendar/", "/metrics", "/healthz", "/readyz")


class Unauthorized(Exception):
    """No valid bearer token."""


def error_body(status: int, message: str, field: str | None = None):
    body = {"error": message}
    if field:
        body["field"] = field
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(PayloadError)
    def _payload(exc: PayloadError):
        return error_body(400, str(exc), exc.field)

    @app.errorhandler(NoRouteError)
    def _no_route(exc: NoRouteError):
        return error_body(400, str(exc), exc.field)

    @app.errorhandler(OverrideError)
    def _override(exc: OverrideError):
        return error_body(400, str(exc), exc.field)

    @app.errorhandler(ActionError)
    def _action(exc: ActionError):
        return error_body(exc.status, str(exc))

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
            return error_body(status, exc.description or exc.name)
        # People get a page, not JSON.
        return render_template("error.html", status=status, name=exc.name, message=exc.description), status
