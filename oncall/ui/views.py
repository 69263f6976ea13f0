"""The UI blueprint `bp` and its route table: every page and form in one readable list.

GET  /                          Now: who is on call, next, levels 2 and 3; tel:/sms: links
GET  /alerts                    open, acknowledged and recently resolved alerts
GET  /alerts/<id>               one alert and its timeline
POST /alerts/<id>/<action>      ack | resolve | escalate | vote (form field value)
POST /alerts/<id>/declare       declare an incident from the alert (or go to its incident)
GET  /incidents                 open incidents (?status=all, ?before=<id>); POST declares one
GET  /incidents/<id>            one incident: roles, updates, timeline, action items, postmortem
POST /incidents/<id>/roles|updates|notes|action-items|postmortem
GET  /incidents/<id>/postmortem.md                 the postmortem draft as a download
GET  /incidents/action-items    open and overdue action items; POST …/<item>/done marks one
GET  /incidents/metrics         MTTD, MTTA, MTTM, MTTR (?since=90d)
GET  /schedule[/<rotation>]     the next weeks as a grid, overrides, subscribe
POST /schedule/<rotation>/overrides           create an override
POST /schedule/<rotation>/overrides/<id>/delete
POST /schedule/<rotation>/subscribe           issue a calendar feed link
GET  /audit                     the auditor's noise report
POST /audit/<rule>/undo|pin|unpin
GET  /outbox                    pages the console notifier sent, and the notification queue
GET  /config                    the configuration: valid or not, problems, last applied
GET  /login, POST /login, POST /logout
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from oncall.config.model import Person
from oncall.paging.channels import address
from oncall.paging.redact import mask_address, mask_phone_readable, mask_phones_in_text
from oncall.plural import plural
from oncall.ui import admin, alerts, auth, incident_forms, incidents, links, now, present, schedule
from oncall.web.context import current_runtime

bp = Blueprint(
    "ui", __name__, template_folder="templates", static_folder="static", static_url_path="/ui/static"
)

ROUTES = [
    ("/", "now", now.page, ["GET"]),
    ("/alerts", "alerts", alerts.list_page, ["GET"]),
    ("/alerts/<int:alert_id>", "alert", alerts.detail_page, ["GET"]),
    ("/alerts/<int:alert_id>/<action>", "alert_action", alerts.act, ["POST"]),
    ("/alerts/<int:alert_id>/declare", "alert_declare", alerts.declare_incident, ["POST"]),
    ("/incidents", "incidents", incidents.list_page, ["GET"]),
    ("/incidents", "incident_declare", incident_forms.declare, ["POST"]),
    ("/incidents/<int:incident_id>", "incident", incidents.detail_page, ["GET"]),
    ("/incidents/<int:incident_id>/roles", "incident_roles", incident_forms.assign, ["POST"]),
    ("/incidents/<int:incident_id>/updates", "incident_update", incident_forms.update, ["POST"]),
    ("/incidents/<int:incident_id>/notes", "incident_note", incident_forms.note, ["POST"]),
    ("/incidents/<int:incident_id>/action-items", "incident_item", incident_forms.add_item, ["POST"]),
    ("/incidents/<int:incident_id>/postmortem", "postmortem_save", incident_forms.save_postmortem, ["POST"]),
    ("/incidents/<int:incident_id>/postmortem.md", "postmortem", incidents.postmortem_file, ["GET"]),
    ("/incidents/action-items", "action_items", incidents.action_items_page, ["GET"]),
    ("/incidents/action-items/<int:item_id>/done", "action_item_done", incident_forms.item_done, ["POST"]),
    ("/incidents/metrics", "incident_metrics", incidents.metrics_page, ["GET"]),
    ("/schedule", "schedule_index", schedule.index, ["GET"]),
    ("/schedule/<rotation>", "schedule", schedule.page, ["GET"]),
    ("/schedule/<rotation>/overrides", "override_create", schedule.create, ["POST"]),
    ("/schedule/<rotation>/overrides/<int:override_id>/delete", "override_delete", schedule.delete, ["POST"]),
    ("/schedule/<rotation>/subscribe", "subscribe", schedule.subscribe, ["POST"]),
    ("/audit", "audit", admin.audit_page, ["GET"]),
    ("/audit/<path:rule>/<any(undo, pin, unpin):action>", "audit_action", admin.audit_action, ["POST"]),
    ("/outbox", "outbox", admin.outbox_page, ["GET"]),
    ("/config", "config", admin.config_page, ["GET"]),
]
for rule, endpoint, view, methods in ROUTES:
    bp.add_url_rule(rule, endpoint, view, methods=methods)


@bp.before_request
def _guard():
    return auth.guard()


@bp.app_template_global()
def csrf_field():
    """The hidden CSRF input every form carries."""
    return Markup(f'<input type="hidden" name="{auth.CSRF_FIELD}" value="{auth.csrf_token()}">')


@bp.app_template_global()
def show_phone(phone: str | None) -> str:
    """A phone number in full for a signed-in person, masked (`+82 10-****-5601`) for anyone else."""
    if not phone:
        return ""
    return phone if auth.current_person() else mask_phone_readable(phone)


@bp.app_template_global()
def show_address(person: Person | None, channel: str) -> str:
    """Where `person` is reached on `channel`: in full for a signed-in person, masked for anyone else."""
    found = address(person, channel) if person is not None else None
    if not found:
        return ""
    return found if auth.current_person() else mask_address(channel, found)


@bp.app_template_filter("phones")
def phones_filter(text: str | None) -> str:
    """Free text with every phone number masked unless someone is signed in."""
    if not text or auth.current_person():
        return text or ""
    return mask_phones_in_text(text, mask=mask_phone_readable)


@bp.app_template_global()
def phones_visible() -> bool:
    """Whether full numbers and tel:/sms: links may be shown: only to a signed-in person."""
    return auth.current_person() is not None


@bp.context_processor
def _page_context() -> dict:
    runtime = current_runtime()
    return {
        "signed_in": auth.current_person(),
        "people": runtime.config.people,
        "tz": runtime.config.timezone,
        "local": present.local,
        "age": present.age,
        "now": runtime.clock.now(),
        "http_link": links.http_link,
        "config_rejected": _config_rejection(),
        "plural": plural,  # "1 rotation", "2 people"
    }


def _config_rejection() -> dict | None:
    """The banner's facts when the file on disk was rejected: when it was saved, first error."""
    if auth.read_login_required() and auth.current_person() is None:
        return None  # reading is closed: the error text is not for anonymous visitors
    store = current_runtime().config_store
    problems = store.last_error
    if not problems:
        return None
    errors = [p for p in problems if p.severity == "error"] or problems
    return {"saved_at": present.modified_at(store.path), "first": errors[0], "count": len(errors)}


@bp.route("/login", methods=["GET", "POST"], endpoint="login")
def login():
    runtime = current_runtime()
    # Only a path on this site: never bounce a sign-in to another site or inject a header.
    next_url = links.local_path(request.values.get("next"), url_for("ui.now"))
    error = None
    if request.method == "POST":
        person = request.form.get("person", "").strip()
        address = request.remote_addr or "unknown"  # after ProxyFix: ONCALL_PROXY_HOPS decides
        now = runtime.clock.now()
        attempt = auth.attempt_sign_in(person, request.form.get("password", ""), address, now)
        if attempt.retry_after is not None:
            return auth.too_many_attempts(attempt.retry_after)
        if attempt.ok:
            name = runtime.config.people[person].name if person in runtime.config.people else person
            flash(f"Signed in as {name}.")
            return redirect(next_url)
        error = "Wrong name or password."
    status = 401 if error else 200
    return render_template("login.html", error=error, next_url=next_url), status


@bp.post("/logout", endpoint="logout")
def logout():
    auth.sign_out()
    flash("Signed out.")
    return redirect(url_for("ui.now"))
