"""The incident pages' forms: declare, roles, status updates, notes, action items, the postmortem.

Each form acts as the signed-in person through the incidents flow (`oncall.incidents.service`)
in one transaction. A refusal (a status that cannot follow, an unknown person, an empty field)
rolls back, shows the page again with the message and the status the API would answer, never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from flask import abort, flash, redirect, request, url_for

from oncall.durations import parse_duration
from oncall.incidents import service
from oncall.incidents.errors import IncidentError, InvalidIncidentInput
from oncall.incidents.followups import IncidentFollowUps
from oncall.incidents.roles import RoleValue
from oncall.incidents.status import ROLES
from oncall.ui import incidents, links
from oncall.ui.auth import current_person
from oncall.web.context import current_runtime
from oncall.web.errors import status_for

MAX_ALERT_IDS = 50
_ID = re.compile(r"#?(\d{1,18})")


def follow_ups() -> IncidentFollowUps:
    """What pages the role holders a web action named: the runtime's incident pager."""
    return current_runtime().incident_followups


def declare():
    """Declare an incident from the list page's form; the declarer is Commander when they ticked it."""
    runtime = current_runtime()
    person = current_person()
    form = request.form

    def act(session) -> int:
        roles: dict[str, RoleValue] = {"commander": person} if form.get("commander") == "me" else {}
        incident = service.declare(
            session,
            runtime.config,
            title=form.get("title", ""),
            severity=form.get("severity", ""),
            now=runtime.clock.now(),
            actor=person,
            alert_ids=alert_ids(form.get("alert_ids", "")),
            summary=form.get("summary", "").strip() or None,
            roles=roles,
            follow=follow_ups(),
        )
        return incident.id

    outcome = _attempt(act, incidents.list_page)
    if outcome.refusal is not None:
        return outcome.refusal
    runtime.engine.kick()  # role holders of a SEV-1/2 are paged now, not at the next tick
    flash(f"INC-{outcome.value} declared.")
    return redirect(url_for("ui.incident", incident_id=outcome.value))


def alert_ids(text: str) -> list[int]:
    """Alert ids as people type them: `12, 15` or `#12 #15`; InvalidIncidentInput for anything else."""
    words = [word for word in re.split(r"[\s,]+", text.strip()) if word]
    if len(words) > MAX_ALERT_IDS:
        raise InvalidIncidentInput(f"at most {MAX_ALERT_IDS} alert ids", "alert_ids")
    ids = []
    for word in words:
        match = _ID.fullmatch(word)
        if match is None:
            raise InvalidIncidentInput(f"{word[:40]!r} is not an alert id (write 12, 15)", "alert_ids")
        ids.append(int(match[1]))
    return ids


def assign(incident_id: int):
    """Give roles from the form: each a person (`person:kim`) or a rotation's on-call (`rotation:payments`)."""
    runtime = current_runtime()
    wanted = {role: _role_value(request.form.get(role, "")) for role in ROLES if request.form.get(role)}

    def act(session) -> str:
        if not wanted:
            raise InvalidIncidentInput("choose someone for at least one role", "roles")
        incident = service.get(session, incident_id)
        changes = service.assign_roles(
            session,
            runtime.config,
            incident,
            wanted,
            now=runtime.clock.now(),
            actor=current_person(),
            follow=follow_ups(),
        )
        return f"{len(changes)} role{'' if len(changes) == 1 else 's'} changed" if changes else "no change"

    return _finish(incident_id, _attempt(act, _detail(incident_id)), kick=True)


def _role_value(value: str) -> RoleValue:
    kind, _, key = value.partition(":")
    if kind == "person" and key:
        return key
    if kind == "rotation" and key:
        return {"rotation": key}
    raise InvalidIncidentInput(f"{value[:60]!r} is neither a person nor a rotation", "roles")


def update(incident_id: int):
    """Post a status update (status, impact, current work, when the next one is due)."""
    runtime = current_runtime()
    form = request.form

    def act(session) -> str:
        incident = service.get(session, incident_id)
        service.post_update(
            session,
            incident,
            status=form.get("status", ""),
            impact=form.get("impact", ""),
            current_work=form.get("current_work", "").strip() or None,
            next_update_in=_next_update_in(form.get("next_update_in", "")),
            now=runtime.clock.now(),
            actor=current_person(),
            update_every=runtime.config.incidents.update_every,
        )
        return f"status update posted: {incident.status}"

    return _finish(incident_id, _attempt(act, _detail(incident_id)))


def _next_update_in(text: str) -> timedelta | None:
    if not text.strip():
        return None
    try:
        return parse_duration(text)
    except ValueError as error:
        raise InvalidIncidentInput(f"next update in: {error}", "next_update_in") from None


def note(incident_id: int):
    """Add a note to the incident's timeline."""
    runtime = current_runtime()

    def act(session) -> str:
        incident = service.get(session, incident_id)
        service.add_note(
            session,
            incident,
            text=request.form.get("text", ""),
            now=runtime.clock.now(),
            actor=current_person(),
        )
        return "note added"

    return _finish(incident_id, _attempt(act, _detail(incident_id)))


def add_item(incident_id: int):
    """Add an action item (title, owner, due date, priority)."""
    runtime = current_runtime()
    form = request.form

    def act(session) -> str:
        incident = service.get(session, incident_id)
        service.add_action_item(
            session,
            runtime.config,
            incident,
            title=form.get("title", ""),
            owner=form.get("owner", ""),
            due=_due(form.get("due", "")),
            priority=form.get("priority", ""),
            now=runtime.clock.now(),
            actor=current_person(),
        )
        return "action item added"

    return _finish(incident_id, _attempt(act, _detail(incident_id)))


def _due(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidIncidentInput("due must be a date (YYYY-MM-DD)", "due") from None


def item_done(item_id: int):
    """Mark an action item done (`done=1`) or open again (`done=0`); back to the page it came from."""
    runtime = current_runtime()
    done = request.form.get("done", "1") == "1"

    def act(session) -> str:
        item = service.set_action_item_done(
            session, item_id, done=done, now=runtime.clock.now(), actor=current_person()
        )
        return f"“{item.title}” {'done' if done else 'open again'}"

    outcome = _attempt(act, incidents.action_items_page)
    if outcome.refusal is not None:
        return outcome.refusal
    flash(f"Action item {outcome.value}.")
    return redirect(links.local_path(request.form.get("back"), url_for("ui.action_items")))


def save_postmortem(incident_id: int):
    """Keep the edited postmortem draft; the download gives it back as saved."""
    runtime = current_runtime()

    def act(session) -> str:
        incident = service.get(session, incident_id)
        text = request.form.get("postmortem", "").replace("\r\n", "\n")
        service.save_postmortem(session, incident, text, now=runtime.clock.now(), actor=current_person())
        return "postmortem draft saved"

    return _finish(incident_id, _attempt(act, _detail(incident_id)))


def _detail(incident_id: int) -> Callable:
    return partial(incidents.detail_page, incident_id)


@dataclass(frozen=True)
class Outcome:
    """What a form's action gave back, or the page that says why it was refused."""

    value: object = None
    refusal: object = None


def _attempt(act: Callable, page: Callable) -> Outcome:
    """Run `act(session)` in one transaction; on a refusal, `page(status=…)` with the message.

    The exception leaves the transaction, so nothing of a refused action is kept. The status is
    the one the API answers for the same refusal (400, 409, 422); a missing incident is a 404.
    """
    runtime = current_runtime()
    try:
        with runtime.db.session() as session:
            return Outcome(value=act(session))
    except IncidentError as error:
        status = status_for(error)
        if status == 404:
            abort(404, error.message)
        flash(f"Not done: {error.message}", "error")
        return Outcome(refusal=page(status=status))


def _finish(incident_id: int, outcome: Outcome, *, kick: bool = False):
    """After a form: back to the incident's page saying what was done, or the refusal page."""
    if outcome.refusal is not None:
        return outcome.refusal
    if kick:
        current_runtime().engine.kick()  # new role holders are paged now, not at the next tick
    flash(f"INC-{incident_id}: {outcome.value}.")
    return redirect(url_for("ui.incident", incident_id=incident_id))
