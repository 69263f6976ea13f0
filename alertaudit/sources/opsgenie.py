"""Opsgenie `GET /v2/alerts` bodies as auditor events.

Each alert of `data[]` is one episode (its `id`) of the rule named by the `auditor.rule_key`
labels when its `key:value` tags hold them, else by its `alias`, else its `message`:

    createdAt                           fired (priority P1..P5 -> SEV-1..SEV-4)
    report.ackTime (ms after created)   acked by report.acknowledgedBy
    report.closeTime (ms after created) closed by report.closedBy when that is a person,
                                        resolved (by the source) when it is an integration
    acknowledger / on call then         paged, inferred (the list has no notification records)

`count` > 1 means the source repeated the alert while it was open: Opsgenie folded the repeats
into this one alert, so it stays one episode and one page, as repeats are here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from alertaudit.events import ACKED, CLOSED, FIRED, RESOLVED, AlertEvent, rule_key_of
from alertaudit.sources.bodies import Entry, clip, list_of, tag_labels
from alertaudit.sources.people import People

PRIORITY_SEVERITY = {"P1": "SEV-1", "P2": "SEV-2", "P3": "SEV-3", "P4": "SEV-4", "P5": "SEV-4"}


def events_from_body(body: Any, file: str, people: People, rule_key: Sequence[str]) -> Iterator[AlertEvent]:
    """The events of every alert in one saved `/v2/alerts` page."""
    for index, item in enumerate(list_of(body, "data", file)):
        yield from alert_events(Entry(item, file, index), people, rule_key)


def alert_events(entry: Entry, people: People, rule_key: Sequence[str]) -> list[AlertEvent]:
    """One alert's fired, inferred paged, acked and closed/resolved events."""
    episode = entry.text("id", required=True)
    created = entry.time("createdAt", required=True)
    labels = tag_labels(entry, "tags")
    rule = _rule(entry, labels, rule_key)
    priority = entry.text("priority")
    if priority is not None and priority not in PRIORITY_SEVERITY:
        raise entry.error("priority", f"must be one of P1..P5, got {priority!r}")
    entry.number("count")  # checked, not stored: repeats of one open alert are one episode
    fired_labels = {**labels, "alertname": labels.get("alertname", rule)}
    events = [
        AlertEvent(
            created, FIRED, rule, episode, labels=fired_labels, severity=PRIORITY_SEVERITY.get(priority)
        )
    ]
    acked_by = _acknowledger(entry)
    events += people.inferred_pages(rule, episode, created, acked_by, fired_labels)
    if acked_by is not None:
        events.append(
            AlertEvent(
                _after(entry, created, "report.ackTime"), ACKED, rule, episode, person=people.person(acked_by)
            )
        )
    events += _end(entry, rule, episode, created, acked_by=acked_by, people=people)
    return events


def _rule(entry: Entry, labels: dict[str, str], rule_key: Sequence[str]) -> str:
    if all(labels.get(name) for name in rule_key):
        return clip(rule_key_of(labels, rule_key), 300) or ""
    name = entry.text("alias") or entry.text("message")
    if name is None:
        raise entry.error("alias", "is required (or 'message', or tags holding the rule key)")
    return clip(name, 300) or ""


def _acknowledger(entry: Entry) -> str | None:
    if entry.get("acknowledged") not in (None, True, False):
        raise entry.error("acknowledged", "must be true or false")
    by = entry.text("report.acknowledgedBy")
    if by is None:
        return None
    if entry.number("report.ackTime") is None:
        raise entry.error("report.ackTime", "is required when 'report.acknowledgedBy' is set")
    return by


def _after(entry: Entry, created: datetime, path: str) -> datetime:
    milliseconds = entry.number(path)
    if milliseconds is None or milliseconds < 0:
        raise entry.error(path, f"must be milliseconds after createdAt, got {milliseconds!r}")
    return created + timedelta(milliseconds=milliseconds)


def _end(
    entry: Entry, rule: str, episode: str, created: datetime, *, acked_by: str | None, people: People
) -> list[AlertEvent]:
    if entry.number("report.closeTime") is None:
        return []
    at = _after(entry, created, "report.closeTime")
    closed_by = entry.text("report.closedBy")
    if closed_by is not None and (
        closed_by == acked_by or "@" in closed_by or people.is_configured(closed_by)
    ):
        return [AlertEvent(at, CLOSED, rule, episode, person=people.person(closed_by))]
    return [AlertEvent(at, RESOLVED, rule, episode)]
