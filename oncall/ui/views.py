"""The UI blueprint `bp` and its route table: every page and form in one readable list.

GET  /                          Now: who is on call, next, levels 2 and 3; tel:/sms: links
GET  /alerts                    open, acknowledged and recently resolved alerts
GET  /alerts/<id>               one alert and its timeline
POST /alerts/<id>/<action>      ack | resolve | escalate | vote (form field value)
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

from oncall.services import current_services
from oncall.ui import admin, alerts, auth, now, present, schedule

bp = Blueprint(
    "ui", __name__, template_folder="templates", static_folder="static", static_url_path="/ui/static"
)

ROUTES = [
    ("/", "now", now.page, ["GET"]),
    ("/alerts", "alerts", alerts.list_page, ["GET"]),
    ("/alerts/<int:alert_id>", "alert", alerts.detail_page, ["GET"]),
    ("/alerts/<int:alert_id>/<action>", "alert_action", alerts.act, ["POST"]),
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


@bp.context_processor
def _page_context() -> dict:
    services = current_services()
    return {
        "signed_in": auth.current_person(),
        "people": services.config.people,
        "tz": services.config.timezone,
        "local": present.local,
        "age": present.age,
        "now": services.clock.now(),
    }


@bp.route("/login", methods=["GET", "POST"], endpoint="login")
def login():
    services = current_services()
    next_url = request.values.get("next") or url_for("ui.now")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = url_for("ui.now")  # never bounce a sign-in to another site
    error = None
    if request.method == "POST":
        person = request.form.get("person", "").strip()
        with services.db.session() as session:
            ok = auth.verify_user(session, person, request.form.get("password", ""), services.clock.now())
        if ok:
            auth.sign_in(person, services.clock.now())
            flash(
                f"Signed in as {services.config.people[person].name if person in services.config.people else person}."
            )
            return redirect(next_url)
        error = "Wrong name or password."
    status = 401 if error else 200
    return render_template("login.html", error=error, next_url=next_url), status


@bp.post("/logout", endpoint="logout")
def logout():
    auth.sign_out()
    flash("Signed out.")
    return redirect(url_for("ui.now"))
