"""`python -m oncall heartbeats`: every configured heartbeat, its state and its last beat."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime

from oncall.context import FlowContext
from oncall.heartbeats.service import Status, known_statuses


def register(subparsers: argparse._SubParsersAction, runtime: Callable[[], FlowContext]) -> None:
    """Add the `heartbeats` command (it lists; beats come over HTTP)."""
    parser = subparsers.add_parser(
        "heartbeats", help="heartbeats: each one's state (ok, late, missing) and last beat"
    )
    parser.set_defaults(func=lambda args: list_heartbeats(runtime()))


def list_heartbeats(runtime: FlowContext) -> int:
    """Print one line per configured heartbeat; 0, or 1 when any is missing (for scripts)."""
    config, now = runtime.config, runtime.clock.now()
    if not config.heartbeats:
        print("No heartbeats configured (see docs/heartbeats.md).")
        return 0
    with runtime.db.session() as session:
        found = {status.name: status for status in known_statuses(session, config, now)}
    missing = False
    for name in sorted(config.heartbeats):
        status = found.get(name)
        missing |= status is not None and status.state == "missing"
        print(f"{name:<20} {line(status, now)}")
    return 1 if missing else 0


def line(status: Status | None, now: datetime) -> str:
    """`OK       last beat 2m ago (alertmanager), due by 10:03:00 UTC`, or not seen yet."""
    if status is None:
        return "OK       not seen yet: its clock starts at the service's next engine pass"
    last = "no beat yet"
    if status.last_beat_at is not None:
        ago = int((now - status.last_beat_at).total_seconds())
        last = f"last beat {ago}s ago ({status.last_beat_source})"
    due = status.due_by.strftime("%Y-%m-%d %H:%M:%S UTC")
    alert = f", alert #{status.missing_alert_id}" if status.missing_alert_id else ""
    return f"{status.state.upper():<8} {last}, missing from {due}{alert}"
