"""The Now page: per rotation who is on call, until when and who is next; per policy every level."""

from __future__ import annotations

from datetime import datetime

from flask import render_template

from oncall.heartbeats.service import Status, known_statuses
from oncall.overrides.service import active_overrides
from oncall.ui.present import age, contact
from oncall.web.api_schedule import oncall_view
from oncall.web.context import current_runtime


def page():
    """Who to call right now, with one-tap tel:/sms: links.

    The file on disk is looked at first (a stat; read only when it changed): an instance that runs
    no background poller (`ONCALL_ENGINE=off`) still shows a rejected edit's banner here, and
    a valid edit's people, at once.
    """
    runtime = current_runtime()
    runtime.config_store.check_for_change()
    config = runtime.config
    at = runtime.clock.now()
    with runtime.db.session() as session:
        view = oncall_view(config, at, active_overrides(session))
        beats = {s.name: s for s in known_statuses(session, config, at)}
    rotations = [
        {
            "key": key,
            "tz": config.rotations[key].timezone,
            "who": contact(config, info["person"]),
            "kind": info["kind"],
            "until": info["until"],
            "replaces": contact(config, info["replaces"]),
            "next": contact(config, info["next"]["person"]) if info["next"] else None,
            "next_from": info["next"]["from"] if info["next"] else None,
        }
        for key, info in view["rotations"].items()
    ]
    policies = [
        {
            "key": key,
            "levels": [
                {
                    "level": lvl["level"],
                    "after": int(lvl["after_seconds"] // 60),
                    "when": lvl["when"],
                    "people": [contact(config, p["person"]) for p in lvl["people"]],
                }
                for lvl in levels
            ],
        }
        for key, levels in view["escalations"].items()
    ]
    heartbeats = [heartbeat_line(name, beats.get(name), at) for name in sorted(config.heartbeats)]
    return render_template("now.html", rotations=rotations, policies=policies, heartbeats=heartbeats)


def heartbeat_line(name: str, status: Status | None, at: datetime) -> dict:
    """A heartbeat as the Now page shows it: OK / LATE / MISSING and how long ago it last beat."""
    if status is None:  # the engine has not looked at it yet: its clock starts then
        return {"name": name, "state": "ok", "label": "OK", "last": "no beat yet"}
    last = f"{age(status.last_beat_at, at)} ago" if status.last_beat_at else "no beat yet"
    return {"name": name, "state": status.state, "label": status.state.upper(), "last": last}
