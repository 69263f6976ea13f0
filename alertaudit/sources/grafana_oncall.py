"""Grafana OnCall `GET /api/v1/alert_groups/` bodies as auditor events.

Each alert group of `results[]` is one episode (its `id`) of the rule named by the
`auditor.rule_key` labels (the group's `labels`, else the last alert's payload labels), else by
its `title`:

    created_at                          fired
    acknowledged_at, acknowledged_by    acked (a user id, named through /api/v1/users/ bodies)
    resolved_at, resolved_by            closed by that user; resolved (by the source) when null
    acknowledger / on call then         paged, inferred (the list has no notification records)

`GET /api/v1/users/` bodies given alongside (recognised by their `username`) turn the user ids
into user names and e-mails, which are matched against the configured people.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from alertaudit.events import ACKED, CLOSED, FIRED, RESOLVED, AlertEvent, rule_key_of
from alertaudit.sources.bodies import Entry, clip, list_of
from alertaudit.sources.people import People


def is_users_body(body: Any) -> bool:
    """True for a saved `/api/v1/users/` page (its results carry a `username`)."""
    results = body.get("results") if isinstance(body, dict) else None
    return isinstance(results, list) and any(isinstance(r, dict) and "username" in r for r in results)


def user_names(body: Any, file: str) -> dict[str, list[str]]:
    """User id -> [user name, e-mail] from one `/api/v1/users/` page."""
    names: dict[str, list[str]] = {}
    for index, item in enumerate(list_of(body, "results", file)):
        entry = Entry(item, file, index)
        known = [name for name in (entry.text("username"), entry.text("email"), entry.text("name")) if name]
        if known:
            names[entry.text("id", required=True) or ""] = known
    return names


def events_from_body(body: Any, file: str, people: People, rule_key: Sequence[str]) -> Iterator[AlertEvent]:
    """The events of every alert group in one saved `/api/v1/alert_groups/` page."""
    for index, item in enumerate(list_of(body, "results", file)):
        yield from group_events(Entry(item, file, index), people, rule_key)


def group_events(entry: Entry, people: People, rule_key: Sequence[str]) -> list[AlertEvent]:
    """One alert group's fired, inferred paged, acked and closed/resolved events."""
    episode = entry.text("id", required=True) or ""
    created = entry.time("created_at", required=True)
    labels = _labels(entry)
    rule = _rule(entry, labels, rule_key)
    fired_labels = {**labels, "alertname": labels.get("alertname", rule)}
    entry.number("alerts_count")  # checked; a group's repeated alerts are one episode
    events = [AlertEvent(created, FIRED, rule, episode, labels=fired_labels, severity=labels.get("severity"))]
    acked_at = entry.time("acknowledged_at")
    acked_by = entry.text("acknowledged_by") if acked_at is not None else None
    events += people.inferred_pages(rule, episode, created, acked_by, fired_labels)
    if acked_at is not None and acked_by is not None:
        events.append(AlertEvent(acked_at, ACKED, rule, episode, person=people.person(acked_by)))
    resolved_at = entry.time("resolved_at")
    if resolved_at is not None:
        resolved_by = entry.text("resolved_by")
        if resolved_by is None:
            events.append(AlertEvent(resolved_at, RESOLVED, rule, episode))
        else:
            events.append(AlertEvent(resolved_at, CLOSED, rule, episode, person=people.person(resolved_by)))
    return events


def _labels(entry: Entry) -> dict[str, str]:
    labels: dict[str, str] = {}
    payload = entry.get("last_alert.payload")
    if isinstance(payload, dict):
        for key in ("commonLabels", "labels"):
            found = payload.get(key)
            if isinstance(found, dict):
                labels.update({k: v for k, v in found.items() if isinstance(v, str)})
    group_labels = entry.get("labels")
    if group_labels is None:
        return labels
    if not isinstance(group_labels, list):
        raise entry.error("labels", "must be a list of {key, value} objects")
    for position, label in enumerate(group_labels):
        key = (
            label.get("key", {}).get("name")
            if isinstance(label, dict) and isinstance(label.get("key"), dict)
            else None
        )
        value = (
            label.get("value", {}).get("name")
            if isinstance(label, dict) and isinstance(label.get("value"), dict)
            else None
        )
        if not isinstance(key, str) or not isinstance(value, str):
            raise entry.error(f"labels.{position}", "must be {key: {name}, value: {name}}")
        labels[key] = value
    return labels


def _rule(entry: Entry, labels: dict[str, str], rule_key: Sequence[str]) -> str:
    if all(labels.get(name) for name in rule_key):
        return clip(rule_key_of(labels, rule_key), 300) or ""
    title = entry.text("title")
    if title is None:
        raise entry.error("title", "is required (or labels holding the rule key)")
    return clip(title, 300) or ""
