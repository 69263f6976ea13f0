"""Held alerts let go: when a window ends early (CLI, API) or its YAML entry is shortened or removed.

An alert held by a window waits for the window's end in its escalation row (`next_at`). Letting
it go moves that row's first step to the new end (or now), so the engine, on whichever instance
claims the row, pages level 1 then; the mark (`alert_maintenance.until`) moves with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from oncall.alerts.hold_models import AlertHold
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.escalation.models import Escalation
from oncall.severity import page_hold_until
from oncall.wallclock import team_time


def release_held(
    session: Session,
    config: Config,
    window_key: str,
    now: datetime,
    *,
    why: str,
    at: datetime | None = None,
    reason: str | None = None,
) -> int:
    """The alerts `window_key` holds past `at` (default now) page from then, level 1 first: how many.

    `reason` narrows it to the alerts held with that reason (a YAML window replaced by another at
    its place in the list keeps the new one's alerts).

    Only alerts not resolved and not paged yet move; a SEV-3 released at night still waits for
    business hours. Moving an escalation only ever brings it earlier, so running this twice (two
    instances) changes nothing the second time.
    """
    at = now if at is None or at < now else at
    marks = [AlertHold.window_key == window_key, AlertHold.until > at]
    if reason is not None:
        marks.append(AlertHold.reason == reason)
    held = session.execute(
        select(AlertHold.alert_id, Alert.severity)
        .join(Alert, Alert.id == AlertHold.alert_id)
        .where(*marks, AlertHold.held, Alert.status != "resolved")
    ).all()
    session.execute(
        update(AlertHold).where(*marks).values(until=at),
        execution_options={"synchronize_session": False},
    )
    for alert_id, severity in held:
        due = page_hold_until(severity, config.business_hours, at) or at
        session.execute(
            update(Escalation)
            .where(Escalation.alert_id == alert_id, Escalation.last_level == -1)
            .where(Escalation.cursor.is_not(None), Escalation.next_at > due)
            .values(started_at=due, next_at=due),
            execution_options={"synchronize_session": False},
        )
    if held:
        when = "now" if at == now else team_time(at, config.timezone)
        line = f"maintenance window {window_key} {why}: pages from {when}"
        session.execute(
            insert(AlertEvent.__table__),
            [
                {"alert_id": alert_id, "at": now, "kind": "maintenance", "detail": line}
                for alert_id, _ in held
            ],
        )
    return len(held)


def follow_yaml_edits(session: Session, config: Config, now: datetime) -> int:
    """Release what YAML windows hold beyond their current end: a `to` moved earlier, or a window
    removed (or replaced by another at its place in the list: another reason). How many page.

    A held alert keeps the end it arrived with otherwise: a `to` moved later holds the alerts that
    arrive from then on, not those already waiting.
    """
    rows = session.execute(
        select(AlertHold.window_key, AlertHold.reason, func.max(AlertHold.until))
        .where(AlertHold.window_key.like("yaml:%"), AlertHold.until > now)
        .group_by(AlertHold.window_key, AlertHold.reason)
    ).all()
    current = {window.id: window for window in config.maintenance}
    released = 0
    for key, reason, until in rows:
        window = current.get(key)
        if window is None or window.reason != reason:
            why = "was removed from the configuration"
            released += release_held(session, config, key, now, why=why, reason=reason)
        elif window.end < until:
            released += release_held(
                session, config, key, now, why="was shortened in the configuration", at=window.end
            )
    return released
