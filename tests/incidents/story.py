"""The seed's 03:12–04:15 payment incident, replayed through the incidents flow with a moving clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from oncall.alerts.models import AlertEvent
from oncall.config.model import Config
from oncall.incidents import service
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.models import Incident
from tests.incidents.conftest import add_alert

DAY = datetime(2026, 3, 20, tzinfo=UTC)


def at(hh_mm: str) -> datetime:
    """That UTC time on the story's day (Seoul is nine hours ahead)."""
    hours, minutes = hh_mm.split(":")
    return DAY + timedelta(hours=int(hours), minutes=int(minutes))


def replay(session: Session, config: Config) -> Incident:
    """Alert, page, ack, declaration, notes, updates and action items, as the seed tells it."""
    alert = add_alert(session, at("03:12"))
    session.add_all(
        [
            AlertEvent(alert_id=alert.id, at=at("03:13"), kind="notified", person="park", channel="sms"),
            AlertEvent(alert_id=alert.id, at=at("03:14"), kind="acknowledged", person="park", channel="sms"),
        ]
    )
    incident = service.declare(
        session,
        config,
        title="Payment API error rate 45%",
        severity="SEV-1",
        now=at("03:15"),
        actor="kim",
        alert_ids=[alert.id],
        impact_started_at=at("03:10"),
        roles={"commander": "kim", "sme": "lee", "scribe": "park"},
        follow=NO_FOLLOW_UPS,
    )
    note = {"session": session, "incident": incident}
    service.add_note(**note, text="confirms 45% error rate on /api/payments", now=at("03:17"), actor="lee")
    service.add_note(**note, text="begins slow query log analysis", now=at("03:22"), actor="lee")
    update = {
        "session": session,
        "incident": incident,
        "actor": "kim",
        "update_every": config.incidents.update_every,
    }
    service.post_update(
        **update,
        status="Identified",
        impact="Payment API, all users",
        now=at("03:31"),
        current_work="full table scan on user_payment_methods",
    )
    service.post_update(
        **update,
        status="Monitoring",
        impact="error rate drops to 2%",
        now=at("03:35"),
        current_work="maintenance mode | index rebuild",
    )
    service.add_note(
        **note, text="Index rebuild complete,\nmaintenance mode disabled", now=at("04:10"), actor="lee"
    )
    service.post_update(**update, status="Resolved", impact="error rate 0.1%", now=at("04:15"))
    items = [
        ("Add EXPLAIN ANALYZE validation to CI pipeline", "lee", date(2026, 3, 27), "P1"),
        ("Implement payment kill switch as feature flag", "kim", date(2026, 3, 28), "P2"),
    ]
    for title, owner, due, priority in items:
        service.add_action_item(
            session,
            config,
            incident,
            title=title,
            owner=owner,
            due=due,
            priority=priority,
            now=at("05:00"),
            actor="kim",
        )
    return incident
