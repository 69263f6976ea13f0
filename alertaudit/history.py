"""The auditor's history from the service's own alerts database (plus imported history)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from sqlalchemy import select

from alertaudit.events import ACKED, CLOSED, ESCALATED, FIRED, PAGED, RESOLVED, VOTE, AlertEvent
from oncall.alerts.models import Alert
from oncall.alerts.models import AlertEvent as TimelineEvent
from oncall.config.model import Config
from oncall.db import Database

HistorySource = Callable[[datetime, datetime], Iterable[AlertEvent]]


def database_history(db: Database, config_of: Callable[[], Config]) -> HistorySource:
    """A history source over the alerts table and timelines, followed by imported events.

    `config_of()` is the configuration in force (people's zones, policies' last levels).
    """

    def source(since: datetime, until: datetime) -> Iterator[AlertEvent]:
        # imported here: only an audit run reads imported history; its SQL dialects cost every
        # command that builds the runtime (startup time)
        from alertaudit import importer

        config = config_of()
        with db.session() as session:
            alerts = session.scalars(
                select(Alert).where(Alert.received_at >= since, Alert.received_at <= until).order_by(Alert.id)
            ).all()
            by_id = {a.id: a for a in alerts}
            timeline = (
                session.scalars(
                    select(TimelineEvent)
                    .where(TimelineEvent.alert_id.in_(list(by_id)))
                    .order_by(TimelineEvent.alert_id, TimelineEvent.id)
                ).all()
                if by_id
                else []
            )
            for alert in alerts:
                yield from _alert_events(alert)
            for event in timeline:
                converted = _timeline_event(by_id[event.alert_id], event, config)
                if converted is not None:
                    yield converted
            yield from importer.stored_events(session, since, until)

    return source


def _alert_events(alert: Alert) -> Iterator[AlertEvent]:
    episode = f"db-{alert.id}"
    labels = json.loads(alert.labels or "{}")
    yield AlertEvent(
        alert.received_at, FIRED, alert.rule, episode, labels=labels, severity=alert.base_severity
    )
    if alert.resolved_at is not None:
        if alert.resolved_by == "source":
            yield AlertEvent(alert.resolved_at, RESOLVED, alert.rule, episode)
        else:
            yield AlertEvent(
                alert.resolved_at, CLOSED, alert.rule, episode, person=alert.resolved_by or "api"
            )


def _timeline_event(alert: Alert, event: TimelineEvent, config) -> AlertEvent | None:
    episode = f"db-{alert.id}"
    if event.kind == "notified" and event.person:
        person = config.people.get(event.person)
        tz = person.timezone if person else config.timezone
        return AlertEvent(
            event.at, PAGED, alert.rule, episode, person=event.person, channel=event.channel, timezone=tz
        )
    if event.kind == "acknowledged":
        return AlertEvent(event.at, ACKED, alert.rule, episode, person=event.person or "api")
    if event.kind == "vote" and event.detail in ("actionable", "noise"):
        return AlertEvent(event.at, VOTE, alert.rule, episode, person=event.person, value=event.detail)
    if event.kind == "escalated":
        level = _level_of(event.detail)
        policy = config.escalations.get(alert.policy or "")
        last = policy is not None and level == len(policy.levels)
        return AlertEvent(event.at, ESCALATED, alert.rule, episode, level=level, last=last)
    return None


def _level_of(detail: str) -> int:
    """'level 3 round 1: jung' -> 3."""
    try:
        return int(detail.split()[1])
    except (IndexError, ValueError):
        return 0
