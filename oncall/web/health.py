"""GET /healthz (the process answers, with details) and GET /readyz (it can take alerts and page).

Readiness is only what a load balancer should act on: the database takes a write and the engine
is making progress. A rejected configuration edit is not in it: the last good configuration
keeps paging, and taking every replica out of service at once for a typo would stop the pager.
The rejection shows in `/healthz`, in `oncall_config_valid` and in the log instead.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, jsonify

from oncall.paging.redact import mask_phones_in_text
from oncall.runtime import Runtime
from oncall.web.context import current_runtime

bp = Blueprint("health", __name__)
ENGINE_STALE_SECONDS = 10


@bp.get("/healthz")
def healthz():
    """Always 200 while the process answers; says whether the configuration file was rejected."""
    runtime = current_runtime()
    return jsonify({"status": "ok", "config": config_state(runtime)})


@bp.get("/readyz")
def readyz():
    """200 when the database takes a write and the engine made progress within 10 s; else 503."""
    runtime = current_runtime()
    problem = runtime.db.check_writable()
    checks = {
        "database": "ok" if problem is None else f"not writable: {problem}",
        "engine": engine_state(runtime),
    }
    ready = all(value in ("ok", "disabled") for value in checks.values())
    body: dict[str, Any] = {"status": "ready" if ready else "not ready", "checks": checks}
    if runtime.config_store.mount_warning:  # told, not counted: the service still pages
        body["warnings"] = [runtime.config_store.mount_warning]
    return jsonify(body), 200 if ready else 503


def config_state(runtime: Runtime) -> dict[str, Any]:
    """The configuration in force, and the rejected edit on disk if there is one."""
    store = runtime.config_store
    state: dict[str, Any] = {"status": "valid", "loaded_at": store.loaded_at.isoformat()}
    if store.mount_warning:
        state["mount_warning"] = store.mount_warning
    problems = store.last_error
    if problems is not None:
        errors = [p for p in problems if p.severity == "error"] or problems
        since = store.rejected_since
        state.update(
            status="rejected",
            rejected_since=since.isoformat() if since else None,
            errors=len(errors),
            # anyone who can reach /healthz reads this: no full phone number from the YAML
            first_error=mask_phones_in_text(str(errors[0])) if errors else None,
            note="the previous configuration keeps running",
        )
    return state


def engine_state(runtime: Runtime) -> str:
    """ "ok", "disabled" (the engine does not run in this process), or "stalled" (no progress
    for 10 s)."""
    if not runtime.settings.engine_enabled:
        return "disabled"
    progress = runtime.engine.last_progress
    if progress is None or time.monotonic() - progress > ENGINE_STALE_SECONDS:
        return "stalled"
    return "ok"
