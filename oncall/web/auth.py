"""Bearer-token checks for the API."""

from __future__ import annotations

from collections.abc import Collection
from functools import wraps

from flask import g, request

from oncall.alerts.intake import PayloadError
from oncall.tokens.service import check_token
from oncall.web.context import current_runtime
from oncall.web.errors import Unauthorized


def require_token(view):
    """The request must carry `Authorization: Bearer <token>` of an active API token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("missing bearer token")
        runtime = current_runtime()
        with runtime.db.session() as session:
            name = check_token(session, token.strip(), runtime.clock.now())
        if name is None:
            raise Unauthorized("invalid or revoked token")
        g.token_name = name
        return view(*args, **kwargs)

    return wrapper


def actor(named: str | None, people: Collection[str], *, field: str) -> str:
    """Who an API action is recorded as: `named` when it is a configured person, else the token.

    A name that is not a person key of the configuration is a 400 naming `field`: nobody acts as
    someone who does not exist.
    """
    if named is None:
        return f"token:{g.token_name}"
    if named not in people:
        raise PayloadError(field, f"unknown person {named!r}: use a person key of the configuration")
    return named
