"""The one alerts flow for what people (and sources) do to an alert: acknowledge, resolve,
escalate now, vote.

The API, the web pages, SMS replies, call keys, the CLI, the engine and the outbox all act
through these functions, in the caller's transaction. Each records the action on the alert (its
status and a timeline line) and tells the escalation and the outbox through the `FollowUps`
it is handed (see `oncall.alerts.followups`): this package imports neither.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.alerts.errors import ActionNotAllowed, AlertNotFound, InvalidVote, UnknownAction
from oncall.alerts.followups import FollowUps
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config

VOTES = ("actionable", "noise")


def acknowledge(
    session: Session, alert: Alert, *, person: str | None, via: str, now: datetime, follow: FollowUps
) -> bool:
    """Acknowledge; returns False when it was acknowledged or resolved already."""
    if alert.status != "triggered":
        return False
    alert.status = "acknowledged"
    alert.acked_at = now
    alert.acked_by = person
    note(session, alert.id, now, "acknowledged", person=person, channel=via)
    follow.acknowledged(session, [alert.id], person)
    return True


def acknowledge_all(
    session: Session,
    alerts: list[Alert],
    *,
    person: str | None,
    via: str,
    now: datetime,
    follow: FollowUps,
) -> int:
    """Acknowledge many alerts at once (a bundle's `100a`); returns how many were still triggered."""
    fresh = [a for a in alerts if a.status == "triggered"]
    for alert in fresh:
        alert.status, alert.acked_at, alert.acked_by = "acknowledged", now, person
        note(session, alert.id, now, "acknowledged", person=person, channel=via)
    follow.acknowledged(session, [a.id for a in fresh], person)
    return len(fresh)


def resolve(
    session: Session, alert: Alert, *, person: str | None, via: str, now: datetime, follow: FollowUps
) -> bool:
    """Resolve by a person; returns False when it was resolved already."""
    if alert.status == "resolved":
        return False
    close_alert(session, alert, now, by=person or "api", via=via, follow=follow)
    return True


def close_alert(
    session: Session, alert: Alert, now: datetime, *, by: str, via: str, follow: FollowUps
) -> None:
    """Mark resolved, free its open key for a new episode, stop escalation and pending pages."""
    alert.status = "resolved"
    alert.resolved_at = now
    alert.resolved_by = by
    alert.open_key = None
    person = None if by == "source" else by
    note(
        session,
        alert.id,
        now,
        "resolved",
        person=person,
        channel=via,
        detail="by source" if by == "source" else "",
    )
    follow.resolved(session, [alert.id])


def escalate(
    session: Session,
    config: Config,
    alert: Alert,
    *,
    person: str | None,
    via: str,
    now: datetime,
    follow: FollowUps,
) -> str:
    """Page the next level now. Returns a sentence saying what happened."""
    if alert.status == "resolved":
        raise ActionNotAllowed(f"alert #{alert.id} is resolved")
    level = follow.escalate_now(session, config, alert, now)
    if level is None:
        note(
            session,
            alert.id,
            now,
            "escalate_requested",
            person=person,
            channel=via,
            detail="no level left to escalate to",
        )
        return "no level left to escalate to"
    note(session, alert.id, now, "escalate_requested", person=person, channel=via, detail=f"to level {level}")
    return f"escalating to level {level}"


def vote(
    session: Session, alert: Alert, value: str | None, *, person: str | None, via: str, now: datetime
) -> None:
    """Record whether this page needed action (feeds the auditor)."""
    if value not in VOTES:
        raise InvalidVote(f"vote must be one of {', '.join(VOTES)}, not {value!r}")
    note(session, alert.id, now, "vote", person=person, channel=via, detail=value)


def note(
    session: Session,
    alert_id: int,
    now: datetime,
    kind: str,
    *,
    person: str | None = None,
    channel: str | None = None,
    detail: str = "",
) -> None:
    """Add one line to an alert's timeline."""
    session.add(
        AlertEvent(alert_id=alert_id, at=now, kind=kind, person=person, channel=channel, detail=detail)
    )


def get_alert(session: Session, alert_id: int) -> Alert:
    """The alert with that id; `AlertNotFound` when there is none."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise AlertNotFound(f"no alert #{alert_id}")
    return alert


def open_alerts(session: Session, limit: int = 500) -> list[Alert]:
    """The newest alerts not resolved yet, newest first."""
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
    *,
    person: str | None,
    via: str,
    now: datetime,
    follow: FollowUps,
    value: str | None = None,
) -> str:
    """Do one action on an alert; shared by the API, the web UI, SMS replies and voice keys."""
    who = {"person": person, "via": via, "now": now}
    if action == "ack":
        done = acknowledge(session, alert, **who, follow=follow)
        return "acknowledged" if done else f"already {alert.status}"
    if action == "resolve":
        return "resolved" if resolve(session, alert, **who, follow=follow) else "already resolved"
    if action == "escalate":
        return escalate(session, config, alert, **who, follow=follow)
    if action in ("vote", "noise", "actionable"):
        chosen = value if action == "vote" else action
        vote(session, alert, chosen, **who)
        return f"voted {chosen}"
    raise UnknownAction(f"unknown action {action!r}: use ack, resolve, escalate or vote")


def perform_on_all(
    session: Session,
    config: Config,
    alerts: list[Alert],
    action: str,
    *,
    person: str | None,
    via: str,
    now: datetime,
    follow: FollowUps,
) -> int:
    """One action on every alert of a bundle (an ack of thousands is one bulk write).

    Returns how many alerts it changed: those already acknowledged (or resolved) are not counted.
    """
    if action == "ack":
        return acknowledge_all(session, alerts, person=person, via=via, now=now, follow=follow)
    results = [
        perform(session, config, alert, action, person=person, via=via, now=now, follow=follow)
        for alert in alerts
    ]
    return sum(1 for result in results if not result.startswith("already"))
