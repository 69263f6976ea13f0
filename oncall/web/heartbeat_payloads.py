"""The heartbeats API's answers as pydantic models (oncall/web/api_heartbeats.py builds them).

A beat has no request body: the name in the path is the whole message.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from oncall.web.payloads import Time, _Answer

State = Literal["ok", "late", "missing"]


class Heartbeat(_Answer):
    """One heartbeat: its configuration and its state now."""

    name: str = Field(description="the heartbeat's key in the configuration")
    state: State = Field(description="ok; late: past `every`, within `grace`; missing: past both")
    every_seconds: float
    grace_seconds: float
    started_at: Time = Field(description="when the configuration first named it (its clock's start)")
    last_beat_at: Time | None = None
    last_beat_source: str | None = Field(None, description="api, alertmanager, grafana")
    due_by: Time = Field(description="missing from this moment on, unless a beat arrives first")
    beats: int
    misses: int
    missing_since: Time | None = None
    missing_alert_id: int | None = Field(None, description='the open "Heartbeat <name> missing" alert')


class HeartbeatList(_Answer):
    heartbeats: list[Heartbeat]
