"""What people (and sources) do to an alert: acknowledge, resolve, escalate now, vote.

Each action writes its timeline line and updates the escalation in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.escalation import core
from oncall.escalation.models import Escalation
from oncall.paging.models import Notification

VOTES = ("actionable", "noise")
# Called as hook(alert, now) after an acknowledgement / a resolution (metrics register here).
on_ack: list[Callable[[Alert, datetime], None]] = []
on_resolve: list[Callable[[Alert, datetime], None]] = []


class ActionError(ValueError):
    """An action that does not apply; `status` is the HTTP answer it maps to."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def acknowledge(session: Session, alert: Alert, person: str | None, via: str, now: datetime) -> bool:
    """Acknowledge; returns False when it was acknowledged or resolved already."""
    if alert.status != "triggered":
        return False
    alert.status = "acknowledged"
    alert.acked_at = now
    alert.acked_by = person
    note(session, alert.id, now, "acknowledged", person, via)
    _cancel_pending(session, [alert.id], only_if_acked=True, person=person)
    for hook in on_ack:
        hook(alert, now)
    return True


def acknowledge_all(
    session: Session, alerts: list[Alert], person: str | None, via: str, now: datetime
) -> int:
    """Acknowledge many alerts at once (a bundle's `100a`); returns how many were still triggered."""
    fresh = [a for a in alerts if a.status == "triggered"]
    for alert in fresh:
        alert.status, alert.acked_at, alert.acked_by = "acknowledged", now, person
        note(session, alert.id, now, "acknowledged", person, via)
    _cancel_pending(session, [a.id for a in fresh], only_if_acked=True, person=person)
    for alert in fresh:
        for hook in on_ack:
            hook(alert, now)
    return len(fresh)


def resolve(session: Session, alert: Alert, person: str | None, via: str, now: datetime) -> bool:
    """Resolve by a person; returns False when it was resolved already."""
    if alert.status == "resolved":
        return False
    close_alert(session, alert, now, by=person or "api", via=via)
    return True


def close_alert(session: Session, alert: Alert, now: datetime, by: str, via: str) -> None:
    """Mark resolved, free its open key for a new episode, stop escalation and pending pages."""
    alert.status = "resolved"
    alert.resolved_at = now
    alert.resolved_by = by
    alert.open_key = None
    person = None if by == "source" else by
    note(session, alert.id, now, "resolved", person, via, "by source" if by == "source" else "")
    session.execute(
        update(Escalation).where(Escalation.alert_id == alert.id).values(cursor=None, next_at=None)
    )
    _cancel_pending(session, [alert.id], only_if_acked=False)
    for hook in on_resolve:
        hook(alert, now)


def escalate(
    session: Session, config: Config, alert: Alert, person: str | None, via: str, now: datetime
) -> str:
    """Page the next level now. Returns a sentence saying what happened."""
    if alert.status == "resolved":
        raise ActionError(f"alert #{alert.id} is resolved")
    esc = session.get(Escalation, alert.id)
    policy = config.escalations.get(alert.policy or "")
    if esc is None or policy is None:
        raise ActionError(f"alert #{alert.id} has no escalation policy to follow")
    started = max(esc.started_at, now) if esc.last_level < 0 else esc.started_at
    moved = core.escalate_now(
        policy, esc.last_round, esc.last_level, started, timedelta(seconds=esc.shift_seconds), now
    )
    if moved is None:
        note(session, alert.id, now, "escalate_requested", person, via, "no level left to escalate to")
        return "no level left to escalate to"
    cursor, shift = moved
    esc.started_at = started
    esc.cursor = cursor
    esc.shift_seconds = shift.total_seconds()
    esc.next_at = now
    # The asked-for level pages even if the alert is acknowledged (its `when` would skip it);
    # the acknowledgement itself stays.
    esc.forced_cursor = cursor
    step = core.unroll(policy)[cursor]
    note(session, alert.id, now, "escalate_requested", person, via, f"to level {step.level + 1}")
    return f"escalating to level {step.level + 1}"


def vote(session: Session, alert: Alert, person: str | None, value: str, via: str, now: datetime) -> None:
    """Record whether this page needed action (feeds the auditor)."""
    if value not in VOTES:
        raise ActionError(f"vote must be one of {', '.join(VOTES)}, not {value!r}", 400)
    note(session, alert.id, now, "vote", person, via, value)


def note(
    session: Session,
    alert_id: int,
    now: datetime,
    kind: str,
    person: str | None = None,
    channel: str | None = None,
    detail: str = "",
) -> None:
    """Add one line to an alert's timeline."""
    session.add(
        AlertEvent(alert_id=alert_id, at=now, kind=kind, person=person, channel=channel, detail=detail)
    )


def get_alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise ActionError(f"no alert #{alert_id}", 404)
    return alert


def _cancel_pending(
    session: Session, alert_ids: list[int], only_if_acked: bool, person: str | None = None
) -> None:
    """Stop pages not sent yet: all of them, or after an ack those that ask to stop on an ack and
    the acknowledger's own (she knows; other people's pages follow their level's condition)."""
    for start in range(0, len(alert_ids), 500):
        query = update(Notification).where(
            Notification.alert_id.in_(alert_ids[start : start + 500]), Notification.status == "pending"
        )
        if only_if_acked:
            stop = Notification.cancel_if_acked.is_(True)
            if person is not None:
                stop = stop | (Notification.person == person)
            query = query.where(stop)
        session.execute(query.values(status="cancelled"))


def open_alerts(session: Session, limit: int = 500) -> list[Alert]:
    return list(
        session.scalars(
            select(Alert).where(Alert.status != "resolved").order_by(Alert.id.desc()).limit(limit)
        )
    )


def perform(
    session: Session,
    config: Config,
    alert: Alert,
    action: str,
    person: str | None,
    value: str | None,
    via: str,
    now: datetime,
) -> str:
    """Do one action on an alert; shared by the API, the web UI, SMS replies and voice keys."""
    if action == "ack":
        return "acknowledged" if acknowledge(session, alert, person, via, now) else f"already {alert.status}"
    if action == "resolve":
        return "resolved" if resolve(session, alert, person, via, now) else "already resolved"
    if action == "escalate":
        return escalate(session, config, alert, person, via, now)
    if action in ("vote", "noise", "actionable"):
        vote(session, alert, person, value if action == "vote" else action, via, now)
        return f"voted {value if action == 'vote' else action}"
    raise ActionError(f"unknown action {action!r}: use ack, resolve, escalate or vote", 404)
