"""The auditor's history from the service's own alerts database (plus imported history).

Until real history exists (a live alert, or an imported event from anywhere but the demo's
generator), the generated sample (`audit sample`, source "sample") is the history and the
report says so; from then on the sample is left out (still stored: `audit sample --delete`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, exists, or_, select
from sqlalchemy.orm import Session

from alertaudit.events import (
    ACKED,
    CLOSED,
    ESCALATED,
    FIRED,
    PAGED,
    RESOLVED,
    SUPPRESSED,
    VOTE,
    AlertEvent,
    WindowMark,
)
from alertaudit.models import ImportedEvent
from alertaudit.sample import SOURCE as SAMPLE
from oncall.alerts.hold_models import AlertHold
from oncall.alerts.models import Alert
from oncall.alerts.models import AlertEvent as TimelineEvent
from oncall.config.model import Config
from oncall.db import Database

BATCH = 10_000  # rows fetched at a time: the window is streamed, never held whole
# What the auditor reads of an alert and of a timeline line (columns, not ORM objects: a month of
# history can be a million rows).
ALERT_COLUMNS = (
    Alert.id,
    Alert.rule,
    Alert.labels,
    Alert.base_severity,
    Alert.received_at,
    Alert.resolved_at,
    Alert.resolved_by,
)
# The maintenance window an alert arrived in, when it did (an outer join: most have none).
WINDOW_COLUMNS = (AlertHold.window_key, AlertHold.reason, AlertHold.held)
TIMELINE_COLUMNS = (
    TimelineEvent.alert_id,
    TimelineEvent.at,
    TimelineEvent.kind,
    TimelineEvent.person,
    TimelineEvent.channel,
    TimelineEvent.detail,
)

HistorySource = Callable[[datetime, datetime], Iterable[AlertEvent]]


@dataclass(frozen=True)
class History:
    """One window's events, read lazily, and whether they are the generated sample."""

    events: Iterable[AlertEvent]
    sample: bool = False

    def __iter__(self) -> Iterator[AlertEvent]:
        return iter(self.events)


def has_real_history(session: Session) -> bool:
    """Whether any live alert or any imported event not from the sample generator is stored."""
    real_import = or_(ImportedEvent.source.is_(None), ImportedEvent.source != SAMPLE)
    return bool(session.scalar(select(exists().select_from(Alert) | exists().where(real_import))))


def has_sample(session: Session) -> bool:
    """Whether the generated sample history is stored."""
    return bool(session.scalar(select(exists().where(ImportedEvent.source == SAMPLE))))


def database_history(db: Database, config_of: Callable[[], Config]) -> HistorySource:
    """A history source over the alerts table and timelines, followed by imported events.

    `config_of()` is the configuration in force (people's zones, policies' last levels). The
    source answers a `History`: the sample alone while no real history exists, else without it.
    """

    def source(since: datetime, until: datetime) -> History:
        with db.session() as session:
            real = has_real_history(session)
            sample = not real and has_sample(session)
        return History(_events(since, until, without_sample=real), sample=sample)

    def _events(since: datetime, until: datetime, *, without_sample: bool) -> Iterator[AlertEvent]:
        # imported here: only an audit run reads imported history; its SQL dialects cost every
        # command that builds the runtime (startup time)
        from alertaudit import importer

        config = config_of()
        in_window = (Alert.received_at >= since, Alert.received_at <= until)
        with db.session() as session:
            alerts = (
                select(*ALERT_COLUMNS, *WINDOW_COLUMNS)
                .outerjoin(AlertHold, AlertHold.alert_id == Alert.id)
                .where(*in_window)
                .order_by(Alert.id)
            )
            marks: dict[tuple[str, str, bool], WindowMark] = {}  # one object per window, not per alert
            for alert in session.execute(alerts.execution_options(yield_per=BATCH)):
                yield from _alert_events(alert, marks)
            timeline = (
                select(*TIMELINE_COLUMNS, Alert.rule, Alert.policy)
                .join(Alert, Alert.id == TimelineEvent.alert_id)
                .where(*in_window)
                .order_by(TimelineEvent.alert_id, TimelineEvent.id)
            )
            for event in session.execute(timeline.execution_options(yield_per=BATCH)):
                converted = _timeline_event(event, config)
                if converted is not None:
                    yield converted
            yield from importer.stored_events(
                session, since, until, without_source=SAMPLE if without_sample else None
            )

    return source


def _alert_events(alert: Row, marks: dict[tuple[str, str, bool], WindowMark]) -> Iterator[AlertEvent]:
    episode = f"db-{alert.id}"
    labels = json.loads(alert.labels or "{}")
    yield AlertEvent(
        alert.received_at, FIRED, alert.rule, episode, labels=labels, severity=alert.base_severity
    )
    if alert.window_key is not None:
        key = (alert.window_key, alert.reason, bool(alert.held))
        mark = marks.get(key) or marks.setdefault(key, WindowMark(*key))
        yield AlertEvent(alert.received_at, SUPPRESSED, alert.rule, episode, window=mark)
    if alert.resolved_at is not None:
        if alert.resolved_by == "source":
            yield AlertEvent(alert.resolved_at, RESOLVED, alert.rule, episode)
        else:
            yield AlertEvent(
                alert.resolved_at, CLOSED, alert.rule, episode, person=alert.resolved_by or "api"
            )


def _timeline_event(event: Row, config: Config) -> AlertEvent | None:
    """One timeline row (with its alert's rule and policy) as the auditor's event; None if not one."""
    episode = f"db-{event.alert_id}"
    if event.kind == "notified" and event.person:
        person = config.people.get(event.person)
        tz = person.timezone if person else config.timezone
        return AlertEvent(
            event.at, PAGED, event.rule, episode, person=event.person, channel=event.channel, timezone=tz
        )
    if event.kind == "acknowledged":
        return AlertEvent(event.at, ACKED, event.rule, episode, person=event.person or "api")
    if event.kind == "vote" and event.detail in ("actionable", "noise"):
        return AlertEvent(event.at, VOTE, event.rule, episode, person=event.person, value=event.detail)
    if event.kind == "escalated":
        level = _level_of(event.detail)
        policy = config.escalations.get(event.policy or "")
        last = policy is not None and level == len(policy.levels)
        return AlertEvent(event.at, ESCALATED, event.rule, episode, level=level, last=last)
    return None


def _level_of(detail: str) -> int:
    """'level 3 round 1: jung' -> 3."""
    try:
        return int(detail.split()[1])
    except (IndexError, ValueError):
        return 0
