"""Incident pages: the list, one incident, the action-item report, MTTx and the postmortem file.

Reading only; the forms these pages carry post to `oncall.ui.incident_forms`. Everything comes
from the incidents flow (`oncall.incidents.service`); this module only arranges it for a page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Response, abort, render_template, request

from oncall.config.model import SEVERITIES
from oncall.durations import amount_seconds
from oncall.incidents import service
from oncall.incidents.action_items import today_for
from oncall.incidents.errors import IncidentNotFound
from oncall.incidents.lookup import commanders_of
from oncall.incidents.models import ActionItem, Incident
from oncall.incidents.mttx import MEASURES
from oncall.incidents.status import ROLE_TITLES, ROLES, STATUSES, allowed_next, is_open
from oncall.paging.redact import mask_phone_readable, mask_phones_in_text
from oncall.ui.auth import current_person
from oncall.ui.keyset import before_id
from oncall.ui.present import age
from oncall.web.context import current_runtime

PAGE_SIZE = 25
NEXT_UPDATE_CHOICES = ("5m", "10m", "15m", "30m", "1h", "2h")
METRIC_WINDOWS = ("7d", "30d", "90d", "365d")
DEFAULT_WINDOW = "90d"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def list_page(status: int = 200):
    """Open incidents (or all with ?status=all), newest first, `PAGE_SIZE` a page, and the declare form."""
    runtime = current_runtime()
    scope = "all" if request.args.get("status") == "all" else "open"
    before = before_id(request.args)
    now = runtime.clock.now()
    with runtime.db.session() as session:
        page = service.list_incidents(session, status=scope, limit=PAGE_SIZE, after_id=before)
        commanders = commanders_of(session, [incident.id for incident in page.incidents])
    rows = [_list_row(incident, commanders.get(incident.id), now) for incident in page.incidents]
    return render_template(
        "incidents.html",
        rows=rows,
        scope=scope,
        total=page.total,
        older=page.next_after_id,
        first_page=before is None,
        severities=SEVERITIES,
        form=request.form,
    ), status


def _list_row(incident: Incident, commander: str | None, now: datetime) -> dict:
    due = incident.next_update_due_at
    return {
        "incident": incident,
        "commander": commander,
        "due": due,
        "overdue": due is not None and due <= now and is_open(incident.status),
    }


def detail_page(incident_id: int, status: int = 200):
    """One incident: header, roles, the update/note/action-item forms, timeline, postmortem draft."""
    runtime = current_runtime()
    config = runtime.config
    now = runtime.clock.now()
    with runtime.db.session() as session:
        incident = _get_or_404(session, incident_id)
        roles = service.current_roles(session, incident)
        rows = service.timeline(session, incident, config)
        items = service.action_items(
            session, state="all", today=today_for(config, now), incident_id=incident.id
        )
        draft = service.postmortem_text(session, config, incident)
    due = incident.next_update_due_at
    return render_template(
        "incident.html",
        incident=incident,
        duration=span(((incident.resolved_at or now) - incident.declared_at).total_seconds()),
        roles=roles,
        role_order=ROLES,
        role_titles=ROLE_TITLES,
        rotations=list(config.rotations),
        statuses=allowed_next(incident.status) if incident.status in STATUSES else STATUSES,
        next_update_choices=NEXT_UPDATE_CHOICES,
        due=due,
        overdue=due is not None and due <= now and is_open(incident.status),
        timeline=rows,
        items=[_item_row(item, today_for(config, now)) for item in items],
        draft=readable(draft),
        today=today_for(config, now),
        form=request.form,
    ), status


def action_items_page(status: int = 200):
    """Every open action item, overdue ones first with how many days overdue: none expires silently."""
    runtime = current_runtime()
    today = today_for(runtime.config, runtime.clock.now())
    with runtime.db.session() as session:
        items = service.action_items(session, state="open", today=today)
    rows = [_item_row(item, today) for item in items]
    overdue = [row for row in rows if row["days_overdue"] > 0]
    later = [row for row in rows if row["days_overdue"] <= 0]
    return render_template("incident_action_items.html", overdue=overdue, later=later, today=today), status


def _item_row(item: ActionItem, today: date) -> dict:
    days = (today - item.due).days if item.done_at is None else 0
    return {"item": item, "days_overdue": days}


def metrics_page():
    """MTTD, MTTA, MTTM and MTTR over a window (?since=90d): overall, by severity, by team."""
    runtime = current_runtime()
    window = request.args.get("since", DEFAULT_WINDOW)
    seconds = amount_seconds(window)
    if window not in METRIC_WINDOWS or seconds is None:
        abort(400, f"since must be one of {', '.join(METRIC_WINDOWS)}")
    now = runtime.clock.now()
    with runtime.db.session() as session:
        report = service.metrics(session, since=now - timedelta(seconds=seconds), now=now)
    return render_template(
        "incident_metrics.html",
        report=report,
        measures=MEASURES,
        window=window,
        windows=METRIC_WINDOWS,
        span=span,
    )


def postmortem_file(incident_id: int) -> Response:
    """The postmortem draft as a Markdown download (`INC-7-postmortem.md`)."""
    runtime = current_runtime()
    with runtime.db.session() as session:
        incident = _get_or_404(session, incident_id)
        text = service.postmortem_text(session, runtime.config, incident)
    return Response(
        readable(text),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{incident.number}-postmortem.md"'},
    )


def readable(text: str) -> str:
    """Free text as this visitor may read it: phone numbers masked unless someone is signed in."""
    if current_person() is not None:
        return text
    return mask_phones_in_text(text, mask=mask_phone_readable)


def span(seconds: float | None) -> str:
    """A measure for a table cell: '—' when unknown, else as ages read ('45s', '12m', '3h 5m')."""
    if seconds is None:
        return "—"
    return age(EPOCH, EPOCH + timedelta(seconds=round(seconds)))


def _get_or_404(session, incident_id: int) -> Incident:
    try:
        return service.get(session, incident_id)
    except IncidentNotFound:
        abort(404, f"There is no incident INC-{incident_id}.")
