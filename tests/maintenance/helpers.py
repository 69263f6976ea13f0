"""Shared steps of the maintenance tests: start a window, send alerts, read what paged."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from oncall.alerts.hold_models import AlertHold
from oncall.alerts.intake import parse_alertmanager
from oncall.alerts.models import Alert, AlertEvent
from oncall.alerts.receive import receive
from oncall.escalation.followups import FOLLOW_UPS
from oncall.maintenance import service
from tests.integration.payloads import am_alert, am_payload


def start(runtime, *, minutes: int = 120, reason: str = "DB migration", **match: str) -> str:
    """An ad hoc window from now holding alerts with `match` labels; its id."""
    now = runtime.clock.now()
    with runtime.db.session() as session:
        window = service.start_window(
            session,
            match=match,
            starts_at=now,
            ends_at=now + timedelta(minutes=minutes),
            reason=reason,
            created_by="tests",
            now=now,
        )
    return window.id


def fire(runtime, name: str, status: str = "firing", **labels: str) -> list[int]:
    """One Alertmanager alert through the receiving path; the ids of the alerts it created."""
    payload = am_payload([am_alert(name, status=status, **labels)])
    return receive(runtime, "alertmanager", parse_alertmanager(payload), follow=FOLLOW_UPS).created


def paged(notifier, runtime, person: str = "kim") -> int:
    """How many SMS `person` has been sent."""
    return len(notifier.sms_to(runtime.config.people[person].phone))


def timeline(runtime, alert_id: int) -> list[tuple[str, str]]:
    with runtime.db.session() as session:
        rows = session.execute(
            select(AlertEvent.kind, AlertEvent.detail)
            .where(AlertEvent.alert_id == alert_id)
            .order_by(AlertEvent.id)
        ).all()
    return [tuple(row) for row in rows]


def mark(runtime, alert_id: int) -> AlertHold | None:
    with runtime.db.session() as session:
        hold = session.get(AlertHold, alert_id)
        if hold is not None:
            session.expunge(hold)
        return hold


def status(runtime, alert_id: int) -> str:
    with runtime.db.session() as session:
        return session.get(Alert, alert_id).status


def at(runtime, when: datetime) -> None:
    """Move the test clock to `when` and run one engine tick there."""
    runtime.clock.set(when)
    runtime.engine.tick()
