"""Incidents over HTTP: thin views over `oncall.incidents.service` (which holds every rule).

POST  /api/v1/incidents                           declare (201)
GET   /api/v1/incidents?status=open|all           newest first, paged (limit, cursor)
GET   /api/v1/incidents/metrics?since=90d         MTTD, MTTA, MTTM, MTTR: overall, by severity, by team
GET   /api/v1/incidents/<id>                      with `timeline` and `action_items`
POST  /api/v1/incidents/<id>/alerts               attach alerts
PUT   /api/v1/incidents/<id>/roles                any subset: a person key or {"rotation": NAME}
POST  /api/v1/incidents/<id>/updates              a status update (201); a refused move is a 409
POST  /api/v1/incidents/<id>/notes                a note on the timeline (201)
GET   /api/v1/incidents/<id>/postmortem           the Markdown draft (saved, else generated)
PUT   /api/v1/incidents/<id>/postmortem           save an edited draft (Markdown, at most 200 KB)
POST  /api/v1/incidents/<id>/action-items         a follow-up with owner, due date, priority (201)
GET   /api/v1/action-items?state=open|overdue|all
PATCH /api/v1/action-items/<id>                   {"done": true}

Who acted is `person` when given (a configured person), else `token:<name>`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from oncall.alerts.intake import PayloadError
from oncall.durations import parse_duration
from oncall.incidents import service
from oncall.incidents.action_items import today_for
from oncall.incidents.followups import IncidentFollowUps
from oncall.incidents.roles import RoleValue
from oncall.runtime import Runtime
from oncall.timeargs import parse_since
from oncall.web import incident_payloads as p
from oncall.web.auth import actor, require_token
from oncall.web.context import current_runtime
from oncall.web.incident_json import action_item_json, incident_detail_json, incident_json
from oncall.web.inputs import id_routes, read_body, read_query
from oncall.web.listing import decode_cursor, page_answer
from oncall.web.payloads import answer

bp = id_routes(Blueprint("api_incidents", __name__, url_prefix="/api/v1"))

MARKDOWN = "text/markdown; charset=utf-8"
MARKDOWN_TYPES = ("", "text/markdown", "text/x-markdown", "text/plain")
MAX_POSTMORTEM_BYTES = 200_000
DEFAULT_SINCE = "90d"
ROLE_FIELDS = ("commander", "communications", "sme", "scribe")


def follow_ups(runtime: Runtime) -> IncidentFollowUps:
    """What pages the people given roles (the paging side's)."""
    return runtime.incident_followups


def role_values(body: p.RolesBody | None) -> dict[str, RoleValue]:
    """The roles a body names, as the service takes them: a person key or {"rotation": NAME}."""
    if body is None:
        return {}
    values: dict[str, RoleValue] = {}
    for role in ROLE_FIELDS:
        given = getattr(body, role)
        if isinstance(given, p.RotationSource):
            values[role] = {"rotation": given.rotation}
        elif given is not None:
            values[role] = given
    return values


@bp.post("/incidents")
@require_token
def declare():
    runtime = current_runtime()
    body = read_body(p.NewIncident)
    config, now = runtime.config, runtime.clock.now()
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        incident = service.declare(
            session,
            config,
            title=body.title,
            severity=body.severity,
            now=now,
            actor=who,
            alert_ids=body.alert_ids,
            summary=body.summary,
            impact_started_at=body.impact_started_at,
            roles=role_values(body.roles),
            follow=follow_ups(runtime),
        )
        answer_body = incident_json(session, config, incident)
    runtime.engine.kick()  # role pages go out now
    return jsonify(answer_body), 201


@bp.get("/incidents")
@require_token
def list_incidents():
    runtime = current_runtime()
    args = read_query(p.IncidentsQuery)
    after_id = decode_cursor("incidents", args.cursor)
    limit = min(args.limit, 1000)
    with runtime.db.session() as session:
        page = service.list_incidents(session, status=args.status, limit=limit, after_id=after_id)
        items = [incident_json(session, runtime.config, incident) for incident in page.incidents]
    return jsonify(page_answer("incidents", "incidents", items, page.next_after_id, page.total))


@bp.get("/incidents/metrics")
@require_token
def incident_metrics():
    runtime = current_runtime()
    args = read_query(p.MetricsQuery)
    now = runtime.clock.now()
    since = parse_since(args.since or DEFAULT_SINCE, now=now, name="since")
    with runtime.db.session() as session:
        measured = service.metrics(session, since=since, now=now)
    return jsonify(answer(p.IncidentMetrics, **measured))


@bp.get("/incidents/<id:incident_id>")
@require_token
def get_incident(incident_id: int):
    runtime = current_runtime()
    config = runtime.config
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        body = incident_detail_json(session, config, incident, today_for(config, runtime.clock.now()))
    return jsonify(body)


@bp.post("/incidents/<id:incident_id>/alerts")
@require_token
def attach_alerts(incident_id: int):
    runtime = current_runtime()
    body = read_body(p.AttachAlerts)
    config = runtime.config
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        service.attach_alerts(session, incident, body.alert_ids, now=runtime.clock.now(), actor=who)
        answer_body = incident_json(session, config, incident)
    return jsonify(answer_body)


@bp.put("/incidents/<id:incident_id>/roles")
@require_token
def assign_roles(incident_id: int):
    runtime = current_runtime()
    body = read_body(p.RolesBody)
    config = runtime.config
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        service.assign_roles(
            session,
            config,
            incident,
            role_values(body),
            now=runtime.clock.now(),
            actor=who,
            follow=follow_ups(runtime),
        )
        answer_body = incident_json(session, config, incident)
    runtime.engine.kick()
    return jsonify(answer_body)


@bp.post("/incidents/<id:incident_id>/updates")
@require_token
def post_update(incident_id: int):
    runtime = current_runtime()
    body = read_body(p.StatusUpdate)
    config = runtime.config
    who = actor(body.person, config.people, field="person")
    next_in = _duration(body.next_update_in, "next_update_in")
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        service.post_update(
            session,
            incident,
            status=body.status,
            impact=body.impact,
            current_work=body.current_work,
            next_update_in=next_in,
            now=runtime.clock.now(),
            actor=who,
            update_every=config.incidents.update_every,
        )
        answer_body = incident_json(session, config, incident)
    return jsonify(answer_body), 201


@bp.post("/incidents/<id:incident_id>/notes")
@require_token
def add_note(incident_id: int):
    runtime = current_runtime()
    body = read_body(p.NewNote)
    config = runtime.config
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        service.add_note(session, incident, text=body.text, now=runtime.clock.now(), actor=who)
        answer_body = incident_json(session, config, incident)
    return jsonify(answer_body), 201


# One rule for both methods: with two, an id out of range answered 405 to the second, not 404.
@bp.route("/incidents/<id:incident_id>/postmortem", methods=["GET", "PUT"])
@require_token
def postmortem(incident_id: int):
    """GET the draft, or PUT an edited one."""
    return put_postmortem(incident_id) if request.method == "PUT" else get_postmortem(incident_id)


def get_postmortem(incident_id: int) -> Response:
    """The draft as Markdown."""
    runtime = current_runtime()
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        text = service.postmortem_text(session, runtime.config, incident)
        filename = f"{incident.number}-postmortem.md"
    response = Response(text, status=200, content_type=MARKDOWN)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def put_postmortem(incident_id: int) -> Response:
    """Save the body as the incident's draft; answers it back."""
    runtime = current_runtime()
    args = read_query(p.PostmortemQuery)
    who = actor(args.person, runtime.config.people, field="person")
    text = _markdown_body()
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        service.save_postmortem(session, incident, text, now=runtime.clock.now(), actor=who)
    return Response(text, status=200, content_type=MARKDOWN)


@bp.post("/incidents/<id:incident_id>/action-items")
@require_token
def add_action_item(incident_id: int):
    runtime = current_runtime()
    body = read_body(p.NewActionItem)
    config, now = runtime.config, runtime.clock.now()
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        item = service.add_action_item(
            session,
            config,
            incident,
            title=body.title,
            owner=body.owner,
            due=body.due,
            priority=body.priority,
            now=now,
            actor=who,
        )
        answer_body = action_item_json(item, today_for(config, now))
    return jsonify(answer_body), 201


@bp.get("/action-items")
@require_token
def list_action_items():
    runtime = current_runtime()
    args = read_query(p.ActionItemsQuery)
    today = today_for(runtime.config, runtime.clock.now())
    with runtime.db.session() as session:
        items = service.action_items(session, state=args.state, today=today)
        body = answer(p.ActionItemList, action_items=[action_item_json(i, today) for i in items])
    return jsonify(body)


@bp.patch("/action-items/<id:item_id>")
@require_token
def change_action_item(item_id: int):
    runtime = current_runtime()
    body = read_body(p.ActionItemChange)
    config, now = runtime.config, runtime.clock.now()
    who = actor(body.person, config.people, field="person")
    with runtime.db.session() as session:
        item = service.set_action_item_done(session, item_id, done=body.done, now=now, actor=who)
        answer_body = action_item_json(item, today_for(config, now))
    return jsonify(answer_body)


def _duration(text: str | None, field: str) -> timedelta | None:
    """A body's duration (15m, 1h30m) as a timedelta; a 400 naming `field` when it is not one."""
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise PayloadError(field, str(exc)) from None


def _markdown_body() -> str:
    """The request body as Markdown text: UTF-8, at most MAX_POSTMORTEM_BYTES, no NUL."""
    if request.mimetype not in MARKDOWN_TYPES:
        raise UnsupportedMediaType(f"send the postmortem as text/markdown, not {request.mimetype}")
    if (request.content_length or 0) > MAX_POSTMORTEM_BYTES:
        raise RequestEntityTooLarge(f"a postmortem is at most {MAX_POSTMORTEM_BYTES:,} bytes")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_POSTMORTEM_BYTES:
        raise RequestEntityTooLarge(f"a postmortem is at most {MAX_POSTMORTEM_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError("body", "is not UTF-8 text") from None
    if "\x00" in text:
        raise PayloadError("body", "must not contain NUL characters")
    return text
