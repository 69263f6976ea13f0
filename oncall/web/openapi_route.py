"""`GET /api/v1/openapi.json`: the OpenAPI document (oncall/web/openapi.py), built on the first
request. Its generation (every JSON schema of every payload model) stays out of a served worker's
memory until someone asks for it."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI document; no token needed (it holds no secret)."""
    from oncall.web.openapi import document

    return jsonify(document())
