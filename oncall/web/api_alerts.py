"""Alert ingestion and alert actions over HTTP.

POST /api/v1/alerts/alertmanager   Alertmanager webhook v4
POST /api/v1/alerts/grafana        Grafana alerting webhook
POST /api/v1/alerts                generic JSON (one alert or a list)
GET  /api/v1/alerts                open alerts, newest first, paged (?status=all&limit=&cursor=)
GET  /api/v1/alerts/<id>           one alert with its timeline
POST /api/v1/alerts/<id>/ack|resolve|escalate|vote   {"person": "kim", "value": "noise"}
"""

from __future__ import annotations

import json

from flask import Blueprint, jsonify
from sqlalchemy import select

from oncall.alerts import actions
from oncall.alerts.hold_models import AlertHold
from oncall.alerts.intake import parse_alertmanager, parse_generic, parse_grafana
from oncall.alerts.models import Alert, AlertEvent
from oncall.alerts.receive import receive
from oncall.escalation.followups import FOLLOW_UPS
from oncall.maintenance.service import mark_json, marks_of
from oncall.paging.redact import mask_phone_readable, mask_phones_in_text
from oncall.web import payloads
from oncall.web.auth import actor, require_token
from oncall.web.context import current_runtime
from oncall.web.inputs import id_routes, raw_json_body, read_body, read_query
from oncall.web.listing import decode_cursor, keyset_page, page_answer

bp = id_routes(Blueprint("api_alerts", __name__, url_prefix="/api/v1/alerts"))

PARSERS = {"alertmanager": parse_alertmanager, "grafana": parse_grafana, "api": parse_generic}


def _receive(source: str):
    incoming = PARSERS[source](raw_json_body())
    # Stored and committed when `receive` returns: only now may we answer 2xx. New alerts page
    # at once (the engine wakes on the `AlertsReceived` it publishes).
    result = receive(current_runtime(), source, incoming, follow=FOLLOW_UPS)
    status = 201 if result.created else 200
    return jsonify(payloads.answer(payloads.IngestResult, received=len(incoming), **result.as_dict())), status


@bp.post("/alertmanager")
@require_token
def receive_alertmanager():
    return _receive("alertmanager")


@bp.post("/grafana")
@require_token
def receive_grafana():
    return _receive("grafana")


@bp.post("")
@require_token
def receive_generic():
    return _receive("api")


@bp.get("")
@require_token
def list_alerts():
    runtime = current_runtime()
    args = read_query(payloads.AlertsQuery)
    after_id = decode_cursor("alerts", args.cursor)
    with runtime.db.session() as session:
        query = select(Alert)
        if args.status == "open":
            # IN rather than != "resolved": the status index finds the open few among a million
            query = query.where(Alert.status.in_(("triggered", "acknowledged")))
        elif args.status != "all":
            query = query.where(Alert.status == args.status)
        rows, last_id, total = keyset_page(session, query, Alert.id, after_id=after_id, limit=args.limit)
        marks = marks_of(session, [a.id for a in rows])  # the maintenance window each arrived in
        alerts = [alert_json(a, marks.get(a.id)) for a in rows]
    return jsonify(page_answer("alerts", "alerts", alerts, last_id, total))


@bp.get("/<id:alert_id>")
@require_token
def get_alert(alert_id: int):
    runtime = current_runtime()
    with runtime.db.session() as session:
        alert = actions.get_alert(session, alert_id)
        events = session.scalars(
            select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.at, AlertEvent.id)
        )
        body = alert_json(alert, session.get(AlertHold, alert_id))
        body["timeline"] = [event_json(e) for e in events]
    return jsonify(body)


@bp.post("/<id:alert_id>/<action>")
@require_token
def act(alert_id: int, action: str):
    runtime = current_runtime()
    body = read_body(payloads.ActionBody, required=False)
    config = runtime.config
    person = actor(body.person, config.people, field="person")
    now = runtime.clock.now()
    with runtime.db.session() as session:
        alert = actions.get_alert(session, alert_id)
        outcome = actions.perform(
            session,
            config,
            alert,
            action,
            person=person,
            via="api",
            now=now,
            follow=FOLLOW_UPS,
            value=body.value,
        )
        mark = session.get(AlertHold, alert_id)
        answer = payloads.answer(payloads.ActionResult, result=outcome, alert=alert_json(alert, mark))
    runtime.engine.kick()
    return jsonify(answer)


def alert_json(alert: Alert, mark: AlertHold | None = None) -> dict:
    """An alert as the API shows it (the `Alert` model of the document); `mark`: its window."""
    return {
        "id": alert.id,
        "source": alert.source,
        "rule": alert.rule,
        "status": alert.status,
        "severity": alert.severity,
        "base_severity": alert.base_severity,
        "severity_reason": alert.severity_reason,
        "summary": alert.summary,
        "details": alert.details,
        "labels": json.loads(alert.labels or "{}"),
        "runbook_url": alert.runbook_url,
        "policy": alert.policy,
        "started_at": alert.started_at.isoformat(),
        "received_at": alert.received_at.isoformat(),
        "acked_at": alert.acked_at.isoformat() if alert.acked_at else None,
        "acked_by": alert.acked_by,
        "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
        "resolved_by": alert.resolved_by,
        "maintenance": mark_json(mark),
    }


def event_json(event: AlertEvent) -> dict:
    """One timeline line as the API shows it (the `TimelineEvent` model)."""
    return {
        "at": event.at.isoformat(),
        "kind": event.kind,
        "person": event.person,
        "channel": event.channel,
        # Details can quote a number (a delivery error); an API answer never carries one in full.
        "detail": mask_phones_in_text(event.detail, mask=mask_phone_readable)
        if event.detail
        else event.detail,
    }
