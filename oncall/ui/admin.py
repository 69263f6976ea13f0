"""Operator pages: the noise report (with undo and pin), the outbox and the configuration."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from markupsafe import Markup
from sqlalchemy import select

from alertaudit import runs
from alertaudit import state as audit_state
from alertaudit.flows import run_audit
from alertaudit.html import render_audit, run_status
from alertaudit.runstatus import next_daily_run
from oncall.paging.models import Notification
from oncall.ui.auth import current_person
from oncall.web.context import current_runtime

log = logging.getLogger("oncall.ui")
OUTBOX_ROWS = 100


def audit_page():
    """The auditor's report over its window (read only: nothing is applied by looking)."""
    runtime = current_runtime()
    try:
        report = run_audit(runtime).report
    except Exception:
        # The report is advice; a failure in it must not take the rest of the UI down.
        log.exception("audit report failed")
        return render_template("audit.html", report=None, body=None), 500
    with runtime.db.session() as session:
        changeable = {
            r.rule for r in audit_state.history(session, limit=1000) if r.action in ("demote", "promote")
        }
        last = runs.last_run(session)
    timezone = runtime.config.timezone
    status = run_status(last, next_daily_run(runtime.clock.now(), timezone), timezone)
    return render_template(
        "audit.html", report=report, body=Markup(render_audit(report, status)), undoable=changeable
    )


def audit_action(rule: str, action: str):
    """Undo the last demotion or promotion of a rule, or pin/unpin it, as the signed-in person."""
    runtime = current_runtime()
    by = current_person() or "web"
    try:
        with runtime.db.session() as session:
            if action == "undo":
                audit_state.undo(session, rule, by, runtime.clock.now())
            else:
                audit_state.pin(session, rule, by, runtime.clock.now(), pinned=action == "pin")
        flash(f"{rule}: {action} done.")
    except LookupError as error:
        flash(f"{rule}: {error}", "error")
    return redirect(url_for("ui.audit"))


def outbox_page():
    """What the console notifier 'sent' (no Twilio: the laptop demo) and the notification queue."""
    runtime = current_runtime()
    notifier = runtime.notifier
    sent = list(reversed(getattr(notifier, "sent", []) or []))
    with runtime.db.session() as session:
        queue = list(
            session.scalars(select(Notification).order_by(Notification.id.desc()).limit(OUTBOX_ROWS))
        )
    return render_template("outbox.html", sent=sent, queue=queue, notifier=type(notifier).__name__)


def config_page():
    """Whether the file on disk is valid, each problem with its line, and what is in force."""
    store = current_runtime().config_store
    config = store.current
    return render_template(
        "config.html",
        valid=store.valid,
        problems=store.last_error or [],
        warnings=config.warnings,
        loaded_at=store.loaded_at,
        digest=config.digest,
        source=config.source or str(store.path),
        config_obj=config,
    )
