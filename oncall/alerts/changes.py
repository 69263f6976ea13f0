"""Announce every acknowledgement and resolution as an `AlertChanged`, once its transaction commits.

Whoever changed the alert (the API, the web pages, an SMS or call key, the CLI, the source
resolving it), the change is an `Alert.status` write in a session of the runtime's database. The
session notes those writes as they are flushed and publishes them after the commit, so a
rolled-back change is never announced and no action has to remember to tell anyone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.db import Database
from oncall.events import AlertChanged, EventBus

_PENDING = "oncall.alert_changes"
ANNOUNCED = ("acknowledged", "resolved")


def publish_alert_changes(db: Database, events: EventBus) -> None:
    """Make every session of `db` publish its committed alert status changes on `events`."""

    def note(session: Session, _context: Any, _instances: Any) -> None:
        for obj in session.dirty:
            if isinstance(obj, Alert) and obj.status in ANNOUNCED and _status_written(obj):
                session.info.setdefault(_PENDING, []).append(_change(obj))

    def publish(session: Session) -> None:
        for change in session.info.pop(_PENDING, ()):
            events.publish(change)

    def forget(session: Session, *_: Any) -> None:
        session.info.pop(_PENDING, None)

    event.listen(db.sessions, "before_flush", note)
    event.listen(db.sessions, "after_commit", publish)
    event.listen(db.sessions, "after_rollback", forget)


def _status_written(alert: Alert) -> bool:
    return bool(inspect(alert).attrs.status.history.added)


def _change(alert: Alert) -> AlertChanged:
    acked = alert.status == "acknowledged"
    return AlertChanged(
        alert_id=alert.id,
        status=alert.status,
        severity=alert.severity,
        received_at=alert.received_at,
        at=alert.acked_at if acked else alert.resolved_at,
        by=alert.acked_by if acked else alert.resolved_by,
    )
