"""Who is on call, and overrides.

GET    /api/v1/oncall?at=ISO8601     every rotation and policy at that instant (default now)
GET    /api/v1/overrides             API overrides in force
POST   /api/v1/overrides             {"rotation", "person", "start", "end", "reason"}
DELETE /api/v1/overrides/<id>
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, g, jsonify, request

from oncall.alerts.intake import PayloadError
from oncall.overrides.service import active_overrides, create_override, delete_override
from oncall.schedule import levels_at, on_call_at
from oncall.services import current_services
from oncall.web.auth import require_token

bp = Blueprint("api_schedule", __name__, url_prefix="/api/v1")


def parse_instant(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(field, f"{value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise PayloadError(field, f"{value!r} needs a time zone (e.g. Z or +09:00)")
    return parsed


@bp.get("/oncall")
@require_token
def oncall_now():
    services = current_services()
    at = parse_instant(request.args["at"], "at") if request.args.get("at") else services.clock.now()
    with services.db.session() as session:
        extra = active_overrides(session)
    return jsonify(oncall_view(services.config, at, extra))


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
    services = current_services()
    with services.db.session() as session:
        items = [override_json(o) for o in active_overrides(session)]
    return jsonify({"overrides": items})


@bp.post("/overrides")
@require_token
def add_override():
    services = current_services()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise PayloadError("body", "must be a JSON object")
    for field in ("rotation", "person", "start", "end"):
        if not isinstance(data.get(field), str):
            raise PayloadError(field, "is required (a string)")
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise PayloadError("reason", "must be a string")
    with services.db.session() as session:
        row = create_override(
            session,
            services.config,
            data["rotation"],
            data["person"],
            parse_instant(data["start"], "start"),
            parse_instant(data["end"], "end"),
            reason,
            f"token:{g.token_name}",
            services.clock.now(),
        )
        body = {
            "id": row.id,
            "rotation": row.rotation,
            "person": row.person,
            "start": row.start.isoformat(),
            "end": row.end.isoformat(),
            "reason": row.reason,
        }
    return jsonify(body), 201


@bp.delete("/overrides/<int:override_id>")
@require_token
def remove_override(override_id: int):
    services = current_services()
    with services.db.session() as session:
        delete_override(session, override_id, services.clock.now())
    return "", 204


def override_json(o) -> dict:
    return {
        "id": int(o.id.split(":")[1]),
        "rotation": o.rotation,
        "person": o.person,
        "start": o.start.isoformat(),
        "end": o.end.isoformat(),
        "reason": o.reason,
    }
