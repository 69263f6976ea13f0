"""Who is on call, and overrides.

GET    /api/v1/oncall?at=ISO8601     every rotation and policy at that instant (default now)
GET    /api/v1/overrides             API overrides in force
POST   /api/v1/overrides             {"rotation", "person", "start", "end", "reason"}
DELETE /api/v1/overrides/<id>
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, g, jsonify

from oncall.overrides.service import active_overrides, create_override, delete_override
from oncall.schedule import levels_at, on_call_at
from oncall.web import payloads
from oncall.web.auth import require_token
from oncall.web.context import current_runtime
from oncall.web.inputs import id_routes, read_body, read_query

bp = id_routes(Blueprint("api_schedule", __name__, url_prefix="/api/v1"))


@bp.get("/oncall")
@require_token
def oncall_now():
    runtime = current_runtime()
    at = read_query(payloads.OncallQuery).at or runtime.clock.now()
    with runtime.db.session() as session:
        extra = active_overrides(session)
    return jsonify(oncall_view(runtime.config, at, extra))


def oncall_view(config, at: datetime, extra) -> dict:
    """The on-call picture at `at`: each rotation's piece and next piece, each policy's levels."""
    names = {k: p.name for k, p in config.people.items()}
    rotations = {}
    for key in config.rotations:
        piece = on_call_at(config, key, at, extra)
        nxt = on_call_at(config, key, piece.end, extra) if piece is not None else None
        rotations[key] = {
            "person": piece.person if piece else None,
            "name": names.get(piece.person) if piece and piece.person else None,
            "kind": piece.kind if piece else "gap",
            "since": piece.start.isoformat() if piece else None,
            "until": piece.end.isoformat() if piece else None,
            "replaces": piece.replaces if piece else None,
            "next": {"person": nxt.person, "name": names.get(nxt.person), "from": nxt.start.isoformat()}
            if nxt
            else None,
        }
    policies = {}
    for key, policy in config.escalations.items():
        people = levels_at(config, key, at, extra)
        policies[key] = [
            {
                "level": i + 1,
                "after_seconds": level.after.total_seconds(),
                "when": level.when,
                "people": [{"person": p, "name": names.get(p)} for p in people[i]],
            }
            for i, level in enumerate(policy.levels)
        ]
    return {"at": at.isoformat(), "rotations": rotations, "escalations": policies}


@bp.get("/overrides")
@require_token
def list_overrides():
    runtime = current_runtime()
    with runtime.db.session() as session:
        items = [override_json(o) for o in active_overrides(session)]
    return jsonify({"overrides": items})


@bp.post("/overrides")
@require_token
def add_override():
    runtime = current_runtime()
    new = read_body(payloads.NewOverride)
    with runtime.db.session() as session:
        row = create_override(
            session,
            runtime.config,
            rotation=new.rotation,
            person=new.person,
            start=new.start,
            end=new.end,
            reason=new.reason,
            by=f"token:{g.token_name}",
            now=runtime.clock.now(),
        )
        body = payloads.answer(
            payloads.Override,
            id=row.id,
            rotation=row.rotation,
            person=row.person,
            start=row.start.isoformat(),
            end=row.end.isoformat(),
            reason=row.reason,
        )
    return jsonify(body), 201


@bp.delete("/overrides/<id:override_id>")
@require_token
def remove_override(override_id: int):
    runtime = current_runtime()
    with runtime.db.session() as session:
        delete_override(session, override_id, runtime.clock.now())  # OverrideNotFound: a 404
    return "", 204


def override_json(o) -> dict:
    """An override in force as the API shows it (the `Override` model)."""
    return {
        "id": int(o.id.split(":")[1]),
        "rotation": o.rotation,
        "person": o.person,
        "start": o.start.isoformat(),
        "end": o.end.isoformat(),
        "reason": o.reason,
    }
