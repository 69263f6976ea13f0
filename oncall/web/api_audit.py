"""The auditor over HTTP.

GET  /api/v1/audit/report[?since=30d&format=csv]   the noise report (changes nothing)
POST /api/v1/audit/run                              score and apply decisions (auto mode)
POST /api/v1/audit/rules/<rule>/undo|pin|unpin      a person overrides the auditor
"""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from alertaudit import state
from alertaudit.flows import parse_since, run_audit
from alertaudit.report import to_csv, to_dict
from oncall.alerts.intake import PayloadError
from oncall.services import current_services
from oncall.web.auth import require_token

bp = Blueprint("api_audit", __name__, url_prefix="/api/v1/audit")


def _since(services):
    text = request.args.get("since")
    if not text:
        return None
    try:
        return parse_since(text, services.clock.now())
    except ValueError as exc:
        raise PayloadError("since", str(exc)) from None


@bp.get("/report")
@require_token
def report():
    services = current_services()
    result = run_audit(services, since=_since(services), apply=False)
    fmt = request.args.get("format", "json")
    if fmt == "csv":
        return Response(
            to_csv(result.report),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=alert-audit.csv"},
        )
    if fmt != "json":
        raise PayloadError("format", "must be json or csv")
    return jsonify(to_dict(result.report))


@bp.post("/run")
@require_token
def run():
    services = current_services()
    result = run_audit(services, since=_since(services), apply=True)
    return jsonify({"applied": [str(d.rule) for d in result.applied], "mode": services.config.auditor.mode})


@bp.post("/rules/<path:rule>/<action>")
@require_token
def override_rule(rule: str, action: str):
    services = current_services()
    data = request.get_json(silent=True) or {}
    by = data.get("by") if isinstance(data, dict) and data.get("by") else f"token:{g.token_name}"
    now = services.clock.now()
    with services.db.session() as session:
        try:
            if action == "undo":
                row = state.undo(session, rule, by, now)
            elif action in ("pin", "unpin"):
                row = state.pin(session, rule, by, now, pinned=action == "pin")
            else:
                raise PayloadError("action", "must be undo, pin or unpin")
        except LookupError as exc:
            return jsonify({"error": str(exc)}), 409
        body = {"rule": rule, "action": action, "pinned": row.pinned}
    return jsonify(body)
