"""Alerts: the list (open, acknowledged, recently resolved), one alert's timeline, and actions."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from oncall.alerts import actions
from oncall.alerts.errors import ActionError
from oncall.alerts.models import Alert, AlertEvent
from oncall.escalation.followups import FOLLOW_UPS
from oncall.ui import links
from oncall.ui.auth import current_person
from oncall.web.context import current_runtime

RECENTLY_RESOLVED = timedelta(days=1)
ACTIONS = ("ack", "resolve", "escalate", "vote")


def list_page():
    """Triggered first, then acknowledged, then the last day's resolved ones."""
    runtime = current_runtime()
    now = runtime.clock.now()
    with runtime.db.session() as session:
        open_ones = actions.open_alerts(session, limit=200)
        resolved = list(
            session.scalars(
                select(Alert)
                .where(Alert.status == "resolved", Alert.resolved_at >= now - RECENTLY_RESOLVED)
                .order_by(Alert.resolved_at.desc())
                .limit(50)
            )
        )
    triggered = [a for a in open_ones if a.status == "triggered"]
    acked = [a for a in open_ones if a.status == "acknowledged"]
    return render_template("alerts.html", triggered=triggered, acked=acked, resolved=resolved)


def detail_page(alert_id: int):
    """One alert: summary, labels, runbook and its full timeline."""
    runtime = current_runtime()
    with runtime.db.session() as session:
        alert = session.get(Alert, alert_id)
        if alert is None:
            abort(404)
        events = list(
            session.scalars(
                select(AlertEvent)
                .where(AlertEvent.alert_id == alert_id)
                .order_by(AlertEvent.at, AlertEvent.id)
            )
        )
    labels = json.loads(alert.labels or "{}")
    return render_template("alert.html", alert=alert, events=events, labels=labels)


def act(alert_id: int, action: str):
    """Acknowledge, resolve, escalate or vote, as the signed-in person, through `perform`."""
    if action not in ACTIONS:
        abort(404)
    runtime = current_runtime()
    value = request.form.get("value") if action == "vote" else None
    with runtime.db.session() as session:
        alert = session.get(Alert, alert_id)
        if alert is None:
            abort(404)
        try:
            outcome = actions.perform(
                session,
                runtime.config,
                alert,
                action,
                person=current_person(),
                via="web",
                now=runtime.clock.now(),
                follow=FOLLOW_UPS,
                value=value,
            )
        except ActionError as error:  # the page says why; the web API maps it to a status
            outcome = None
            flash(f"#{alert_id}: {error}", "error")
    if outcome is not None:
        flash(f"#{alert_id}: {outcome}.")
        runtime.engine.kick()  # an escalation by hand pages now, not at the next tick
    return redirect(links.local_path(request.form.get("back"), url_for("ui.alert", alert_id=alert_id)))
