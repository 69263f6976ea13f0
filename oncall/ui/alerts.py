"""Alerts: the list (open, acknowledged, recently resolved; paged by id), one alert, its actions.

From an alert's page a signed-in person declares an incident (the alert's severity, themselves
as Commander), or follows the link to the incident the alert is already part of.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select, union_all

from oncall.alerts import actions
from oncall.alerts.errors import ActionError
from oncall.alerts.hold_models import AlertHold
from oncall.alerts.models import Alert, AlertEvent
from oncall.escalation.followups import FOLLOW_UPS
from oncall.escalation.models import Escalation
from oncall.incidents import service as incident_service
from oncall.incidents.errors import IncidentError
from oncall.incidents.lookup import incidents_of_alert
from oncall.maintenance.service import marks_of
from oncall.ui import links
from oncall.ui.auth import current_person
from oncall.ui.incident_forms import follow_ups
from oncall.ui.keyset import before_id
from oncall.web.context import current_runtime
from oncall.web.errors import status_for

RECENTLY_RESOLVED = timedelta(days=1)
ACTIONS = ("ack", "resolve", "escalate", "vote")
PAGE_SIZE = 50


def list_page():
    """Triggered, acknowledged and the last day's resolved alerts, newest `PAGE_SIZE` first.

    `?before=<id>` shows the older ones (keyset by id, so a page never repeats or skips an alert
    while new ones arrive); the section headings count every alert, not only this page's.
    """
    runtime = current_runtime()
    before = before_id(request.args)
    # the ids of each half through its own index (status, resolved_at): an OR would read every alert
    listed = Alert.id.in_(
        union_all(
            select(Alert.id).where(Alert.status.in_(("triggered", "acknowledged"))),
            select(Alert.id).where(Alert.resolved_at >= runtime.clock.now() - RECENTLY_RESOLVED),
        )
    )
    query = select(Alert).where(listed)
    if before is not None:
        query = query.where(Alert.id < before)
    with runtime.db.session() as session:
        rows = list(session.scalars(query.order_by(Alert.id.desc()).limit(PAGE_SIZE + 1)))
        counts = dict(
            session.execute(select(Alert.status, func.count()).where(listed).group_by(Alert.status)).all()
        )
        windows = marks_of(session, [a.id for a in rows])  # the maintenance window each arrived in
    older = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    rows = rows[:PAGE_SIZE]
    return render_template(
        "alerts.html",
        triggered=[a for a in rows if a.status == "triggered"],
        acked=[a for a in rows if a.status == "acknowledged"],
        resolved=sorted(
            (a for a in rows if a.status == "resolved"), key=lambda a: a.resolved_at, reverse=True
        ),
        counts=counts,
        older=older,
        first_page=before is None,
        windows=windows,
    )


def detail_page(alert_id: int, status: int = 200):
    """One alert: summary, labels, runbook, its full timeline and the incidents it is part of."""
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
        incidents = incidents_of_alert(session, alert_id)
        held_until = _held_until(alert, session.get(Escalation, alert_id))
        window = session.get(AlertHold, alert_id)  # the maintenance window it arrived in
    labels = json.loads(alert.labels or "{}")
    return render_template(
        "alert.html",
        alert=alert,
        events=events,
        labels=labels,
        incidents=incidents,
        held_until=None if window else held_until,
        window=window,
    ), status


def _held_until(alert: Alert, escalation: Escalation | None) -> datetime | None:
    """When a held alert's escalation clock started (a SEV-3 at night: the next 09:00), else None."""
    if escalation is None or escalation.started_at <= alert.received_at:
        return None
    return escalation.started_at


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


def declare_incident(alert_id: int):
    """Declare an incident from this alert (its severity, the signed-in person as Commander).

    An alert already part of an incident leads to that incident instead of a second one.
    """
    runtime = current_runtime()
    person = current_person()
    try:
        with runtime.db.session() as session:
            alert = session.get(Alert, alert_id)
            if alert is None:
                abort(404)
            existing = incidents_of_alert(session, alert_id)
            if existing:
                flash(f"#{alert_id} is already part of {existing[0].number}.")
                return redirect(url_for("ui.incident", incident_id=existing[0].id))
            incident = incident_service.declare(
                session,
                runtime.config,
                title=_incident_title(alert),
                severity=alert.severity,
                now=runtime.clock.now(),
                actor=person,
                alert_ids=[alert_id],
                summary=alert.summary or None,
                roles={"commander": person},
                follow=follow_ups(),
            )
            number, incident_id = incident.number, incident.id
    except IncidentError as error:
        flash(f"No incident declared: {error.message}", "error")
        return detail_page(alert_id, status=status_for(error))
    runtime.engine.kick()  # role holders of a SEV-1/2 are paged now
    flash(f"{number} declared from #{alert_id}; you are its Commander.")
    return redirect(url_for("ui.incident", incident_id=incident_id))


def _incident_title(alert: Alert) -> str:
    """The alert's rule and summary, cut to what an incident title holds."""
    title = f"{alert.rule}: {alert.summary}" if alert.summary else alert.rule
    longest = incident_service.TITLE_MAX
    return title if len(title) <= longest else title[: longest - 1] + "…"
