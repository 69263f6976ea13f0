"""Maintenance windows over HTTP: thin views over `oncall.maintenance.service`.

POST /api/v1/maintenance                start an ad hoc window (201)
GET  /api/v1/maintenance?all=true       windows active or ahead (all: ended ones too), soonest first
POST /api/v1/maintenance/<id>/end       end an ad hoc window now: its held alerts page now

Ending is a POST, not a DELETE: the window stays, as a record of what was held and why. A YAML
window (`yaml:0`) is a 409 saying to edit the file; one already over is a 409 too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, jsonify
from sqlalchemy.orm import Session

from oncall.alerts.intake import PayloadError
from oncall.durations import parse_duration
from oncall.maintenance import service
from oncall.maintenance.matching import Window
from oncall.web import maintenance_payloads as p
from oncall.web.auth import actor, require_token
from oncall.web.context import current_runtime
from oncall.web.inputs import read_body, read_query
from oncall.web.payloads import answer

bp = Blueprint("api_maintenance", __name__, url_prefix="/api/v1")


@bp.post("/maintenance")
@require_token
def start():
    runtime = current_runtime()
    body = read_body(p.NewWindow)
    config, now = runtime.config, runtime.clock.now()
    who = actor(body.person, config.people, field="person")
    starts = body.starts_at or now
    with runtime.db.session() as session:
        window = service.start_window(
            session,
            match=body.match,
            match_all=body.match_all,
            starts_at=starts,
            ends_at=body.ends_at,
            length=_length(body),
            reason=body.reason,
            created_by=who,
            now=now,
        )
        answer_body = window_json(session, window, now)
    return jsonify(answer_body), 201


def _length(body: p.NewWindow) -> timedelta | None:
    if body.duration is None:
        return None
    try:
        return parse_duration(body.duration)
    except ValueError as exc:
        raise PayloadError("duration", str(exc)) from None


@bp.get("/maintenance")
@require_token
def list_windows():
    runtime = current_runtime()
    args = read_query(p.WindowsQuery)
    now = runtime.clock.now()
    with runtime.db.session() as session:
        windows = service.list_windows(session, runtime.config, now, include_ended=args.all)
        counts = service.held_counts(session, [window.id for window in windows])
        items = [_json(window, now, counts.get(window.id, 0)) for window in windows]
    return jsonify(answer(p.WindowList, windows=items))


@bp.post("/maintenance/<window_id>/end")
@require_token
def end(window_id: str):
    runtime = current_runtime()
    body = read_body(p.EndWindow, required=False)
    config, now = runtime.config, runtime.clock.now()
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        window, released = service.end_window(session, config, window_id, now, by=who)
        ended = window_json(session, window, now)
    runtime.engine.kick()  # the released alerts page now, not on the next tick
    return jsonify(answer(p.EndedWindow, window=ended, released=released))


def window_json(session: Session, window: Window, now: datetime) -> dict:
    """One window as the API shows it, with the number of alerts that arrived in it."""
    return _json(window, now, service.held_counts(session, [window.id]).get(window.id, 0))


def _json(window: Window, now: datetime, alerts: int) -> dict:
    return answer(
        p.Window,
        id=window.id,
        source="yaml" if window.in_yaml else "adhoc",
        state=window.state(now),
        match=dict(window.match),
        match_all=not window.match,
        starts_at=window.start.isoformat(),
        ends_at=window.ends.isoformat(),
        planned_end=window.end.isoformat(),
        ended_at=window.ended_at.isoformat() if window.ended_at else None,
        reason=window.reason,
        created_by=window.created_by,
        alerts=alerts,
    )
