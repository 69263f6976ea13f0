"""The auditor over HTTP.

GET  /api/v1/audit/report[?since=30d&format=csv]   the noise report (changes nothing), with
                                                    `savings` (before -> after) and `sample`
POST /api/v1/audit/run                              score and apply decisions (auto mode)
POST /api/v1/audit/rules/<rule>/undo|pin|unpin      a person overrides the auditor
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, jsonify

from alertaudit import state
from alertaudit.flows import run_audit
from alertaudit.report import to_csv, to_dict
from oncall.alerts.intake import PayloadError
from oncall.payload_types import MAX_RULE
from oncall.runtime import Runtime
from oncall.timeargs import parse_since
from oncall.web import payloads
from oncall.web.auth import actor, require_token
from oncall.web.context import current_runtime
from oncall.web.inputs import read_body, read_query

bp = Blueprint("api_audit", __name__, url_prefix="/api/v1/audit")


def _since(runtime: Runtime, text: str | None) -> datetime | None:
    """The start of the window, or None for the auditor's default; TimeArgError is a 400."""
    return parse_since(text, now=runtime.clock.now(), name="since") if text else None


@bp.get("/report")
@require_token
def report():
    runtime = current_runtime()
    args = read_query(payloads.AuditReportQuery)
    result = run_audit(runtime, since=_since(runtime, args.since), apply=False)
    if args.format == "csv":
        return Response(
            to_csv(result.report),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=alert-audit.csv"},
        )
    body = to_dict(result.report)
    body["savings"] = payloads.answer(payloads.AuditSavings, **body["savings"])  # as documented
    return jsonify(body)


@bp.post("/run")
@require_token
def run():
    runtime = current_runtime()
    args = read_query(payloads.AuditRunQuery)
    result = run_audit(runtime, since=_since(runtime, args.since), apply=True)
    applied = [str(d.rule) for d in result.applied]
    return jsonify(payloads.answer(payloads.AuditRun, applied=applied, mode=runtime.config.auditor.mode))


@bp.post("/rules/<path:rule>/<action>")
@require_token
def override_rule(rule: str, action: str):
    runtime = current_runtime()
    if len(rule) > MAX_RULE or "\x00" in rule:
        raise PayloadError("rule", f"must be at most {MAX_RULE} characters, without NUL")
    body = read_body(payloads.RuleOverrideBody, required=False)
    by = actor(body.by, runtime.config.people, field="by")
    now = runtime.clock.now()
    with runtime.db.session() as session:
        try:
            if action == "undo":
                row = state.undo(session, rule, by, now)
            elif action in ("pin", "unpin"):
                row = state.pin(session, rule, by, now, pinned=action == "pin")
            else:
                raise PayloadError("action", "must be undo, pin or unpin")
        except LookupError as exc:
            return jsonify({"error": str(exc)}), 409
        answer = payloads.answer(payloads.RuleOverrideResult, rule=rule, action=action, pinned=row.pinned)
    return jsonify(answer)
