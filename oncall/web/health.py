"""GET /healthz (the process answers) and GET /readyz (it can do its job)."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify
from sqlalchemy import text

from oncall.services import current_services

bp = Blueprint("health", __name__)
ENGINE_STALE_SECONDS = 10


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    services = current_services()
    checks: dict[str, str] = {}
    try:
        with services.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure to reach it means not ready
        checks["database"] = f"unreachable: {exc.__class__.__name__}"
    checks["config"] = "ok" if services.config_store.last_error is None else "invalid edit rejected"
    engine = services.extras.get("engine")
    if engine is None or not services.settings.engine_enabled:
        checks["engine"] = "disabled"
    elif engine.last_tick is None or time.monotonic() - engine.last_tick > ENGINE_STALE_SECONDS:
        checks["engine"] = "stalled"
    else:
        checks["engine"] = "ok"
    ready = all(v in ("ok", "disabled") for v in checks.values())
    return jsonify({"status": "ready" if ready else "not ready", "checks": checks}), 200 if ready else 503
