"""Reading a request's JSON body and query arguments through a payload model.

A body is validated from its raw bytes (`model_validate_json`), so a malformed body is a 400,
never mistaken for `{}`; a query argument given twice, or one the model does not know, is a 400.
Errors are pydantic's ValidationError, answered by oncall/web/errors.py.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, current_app, request
from pydantic import BaseModel
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map

from oncall.alerts.intake import PayloadError

MAX_ID = 2**63 - 1  # the largest id a BIGINT (and SQLite's INTEGER) holds
M = TypeVar("M", bound=BaseModel)
JSON_TYPES = ("", "text/plain")  # besides application/json and +json: curl -d sends no useful type


def raw_json_body() -> bytes:
    """The body's bytes, refused with a 400 when it is declared as something other than JSON."""
    if not request.is_json and request.mimetype not in JSON_TYPES:
        raise PayloadError("Content-Type", f"expected application/json, got {request.mimetype}")
    body = request.get_data(cache=False)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.content_length is None and limit is not None and len(body) >= limit and request.stream.read(1):
        # A chunked body stops at the limit instead of failing: more to read means too large.
        raise RequestEntityTooLarge()
    return body


def read_body(model: type[M], required: bool = True) -> M:
    """The body as `model`; an empty optional body is the model's defaults."""
    body = raw_json_body()
    if not body.strip():
        if required:
            raise PayloadError("body", "is required (a JSON object)")
        return model()
    return model.model_validate_json(body)


def read_query(model: type[M]) -> M:
    """The query arguments as `model`."""
    values: dict[str, str] = {}
    for name, given in request.args.lists():
        if len(given) > 1:
            raise PayloadError(name, "is given more than once")
        values[name] = given[0]
    return model.model_validate(values)


class IdConverter(IntegerConverter):
    """`<id:name>` in a route: a database id, 1 to 2**63 - 1; anything else is a 404, not an overflow."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def id_routes(bp: Blueprint) -> Blueprint:
    """Let `bp`'s routes use `<id:name>` (registered on the app before any of its rules)."""
    bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))
    return bp
