"""Readable builders for alert histories: one call per episode, described by its outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alertaudit.events import AlertEvent

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def episode(
    rule: str,
    key: str,
    at: datetime,
    *,
    severity: str = "page",
    person: str | None = "kim",
    tz: str = "UTC",
    channel: str = "sms",
    ack_after: timedelta | None = None,
    resolve_after: timedelta | None = None,
    close_after: timedelta | None = None,
    vote: str | None = None,
    incident: str | None = None,
    escalated_last: bool = False,
    labels: dict[str, str] | None = None,
) -> list[AlertEvent]:
    """The events of one episode of `rule` starting at `at`; the person is paged at once."""
    events = [AlertEvent(at, "fired", rule, key, severity=severity, labels=labels or {"alertname": rule})]
    if person is not None:
        events.append(AlertEvent(at, "paged", rule, key, person=person, channel=channel, timezone=tz))
    if ack_after is not None:
        events.append(AlertEvent(at + ack_after, "acked", rule, key, person=person))
    if close_after is not None:
        events.append(AlertEvent(at + close_after, "closed", rule, key, person=person))
    if resolve_after is not None:
        events.append(AlertEvent(at + resolve_after, "resolved", rule, key))
    if escalated_last:
        events.append(AlertEvent(at + 30 * MIN, "escalated", rule, key, level=3, last=True))
    if vote is not None:
        events.append(AlertEvent(at + 60 * MIN, "vote", rule, key, person=person, value=vote))
    if incident is not None:
        events.append(AlertEvent(at + 20 * MIN, "incident", rule, key, value=incident))
    return events


def voted(rule: str, actionable: int, total: int, start: datetime, **kw) -> list[AlertEvent]:
    """`total` paged episodes two hours apart from `start`, `actionable` of them
    voted actionable and the rest voted noise; all resolved after 30 minutes."""
    events: list[AlertEvent] = []
    for i in range(total):
        vote = "actionable" if i < actionable else "noise"
        events += episode(
            rule,
            f"{rule}-{start:%m%d%H%M}-{i}",
            start + timedelta(hours=2 * i),
            vote=vote,
            resolve_after=30 * MIN,
            **kw,
        )
    return events
