"""Heartbeats over HTTP: a beat, one heartbeat, all of them.

POST /api/v1/heartbeats/<name>    a beat (no body needed); 200 with the heartbeat's state
GET  /api/v1/heartbeats/<name>    the heartbeat's state
GET  /api/v1/heartbeats           every configured heartbeat, by name

An unknown name is a 404 that suggests the nearest configured one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from functools import wraps

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from oncall.config.values import did_you_mean
from oncall.escalation.followups import FOLLOW_UPS
from oncall.heartbeats import service
from oncall.runtime import Runtime
from oncall.web import heartbeat_payloads as p
from oncall.web.auth import require_token
from oncall.web.context import current_runtime
from oncall.web.errors import error_body
from oncall.web.payloads import answer

bp = Blueprint("api_heartbeats", __name__, url_prefix="/api/v1/heartbeats")


def _fields(status: service.Status) -> dict:
    """The status as the answer's fields: times in ISO 8601."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(status).items()}


def _json(status: service.Status) -> dict:
    return answer(p.Heartbeat, **_fields(status))


def _configured(view: Callable[[Runtime, str], ResponseReturnValue]):
    """`view(runtime, heartbeat)` for a configured heartbeat; a 404 naming the nearest one otherwise."""

    @wraps(view)
    def checked(heartbeat: str):
        runtime = current_runtime()
        known = runtime.config.heartbeats
        if heartbeat in known:
            return view(runtime, heartbeat)
        hint = did_you_mean(heartbeat, known) if known else " — the configuration has no `heartbeats`"
        return error_body(404, f"no heartbeat `{heartbeat[:100]}`{hint}")

    return checked


@bp.post("/<path:heartbeat>")
@require_token
@_configured
def beat(runtime: Runtime, heartbeat: str):
    """A beat of `heartbeat`: its clock restarts, an open miss is resolved."""
    config = runtime.config
    with runtime.db.session() as session:
        status = service.beat(
            session, config, heartbeat, runtime.clock.now(), source="api", follow=FOLLOW_UPS
        )
    return jsonify(_json(status)), 200


@bp.get("/<path:heartbeat>")
@require_token
@_configured
def one(runtime: Runtime, heartbeat: str):
    """The state of `heartbeat` now."""
    config = runtime.config
    with runtime.db.session() as session:
        found = [s for s in service.statuses(session, config, runtime.clock.now()) if s.name == heartbeat]
    return jsonify(_json(found[0]))


@bp.get("")
@require_token
def listing():
    """Every configured heartbeat's state, by name."""
    runtime = current_runtime()
    with runtime.db.session() as session:
        found = service.statuses(session, runtime.config, runtime.clock.now())
    return jsonify(answer(p.HeartbeatList, heartbeats=[_fields(s) for s in found]))
