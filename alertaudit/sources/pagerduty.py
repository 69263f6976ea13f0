"""PagerDuty `GET /log_entries` bodies as auditor events.

Every entry names its incident (the episode) and its service. The rule is the `auditor.rule_key`
labels when the incident's trigger entry carries them in its channel details (Events API v2
`custom_details`, e.g. an Alertmanager receiver with `details: {alertname: ...}`), else the
service's name:

    trigger_log_entry       fired (severity from the channel's `severity`)
    notify_log_entry        paged: sms -> sms, phone -> voice, push_notification -> sms;
                            email is not an interruption and is left out
    acknowledge_log_entry   acked by the agent (a user)
    resolve_log_entry       closed by the agent when a user, else resolved (by the source)
    escalate_log_entry      escalated
    annotate_log_entry      (a note: free text, not used)

Rules found from triggers need the trigger entries: `rules_from_body` collects them from every
file first (one small record per incident), then `events_from_body` reads the files again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from alertaudit.events import ACKED, CLOSED, ESCALATED, FIRED, PAGED, RESOLVED, AlertEvent, rule_key_of
from alertaudit.sources.bodies import Entry, clip, list_of
from alertaudit.sources.people import People

CHANNELS = {
    "sms": "sms",
    "sms_notification": "sms",
    "phone": "voice",
    "phone_notification": "voice",
    "push_notification": "sms",
    "push": "sms",
}
IGNORED = frozenset({"email", "email_notification"})
LIST = "log_entries"


def rules_from_body(body: Any, file: str, rule_key: Sequence[str]) -> dict[str, tuple[str, str | None, dict]]:
    """Incident id -> (rule, severity, labels) for the trigger entries whose details hold the rule key."""
    found: dict[str, tuple[str, str | None, dict]] = {}
    for index, item in enumerate(list_of(body, LIST, file)):
        entry = Entry(item, file, index)
        if entry.get("type") != "trigger_log_entry":
            continue
        incident = entry.text("incident.id", required=True) or ""
        labels = _details(entry)
        if all(labels.get(name) for name in rule_key):
            found[incident] = (
                clip(rule_key_of(labels, rule_key), 300) or "",
                _severity(entry, labels),
                labels,
            )
    return found


def events_from_body(
    body: Any,
    file: str,
    people: People,
    triggers: Mapping[str, tuple[str, str | None, dict]],
) -> Iterator[AlertEvent]:
    """The events of every entry in one saved `/log_entries` page."""
    for index, item in enumerate(list_of(body, LIST, file)):
        event = entry_event(Entry(item, file, index), people, triggers)
        if event is not None:
            yield event


def entry_event(
    entry: Entry, people: People, triggers: Mapping[str, tuple[str, str | None, dict]]
) -> AlertEvent | None:
    """One log entry's event, or None for an entry the auditor has no use for."""
    kind = entry.text("type", required=True)
    at = entry.time("created_at", required=True)
    episode = entry.text("incident.id", required=True) or ""
    known = triggers.get(episode)
    rule = known[0] if known else _service(entry)
    if kind == "trigger_log_entry":
        labels = known[2] if known else _details(entry)
        severity = known[1] if known else _severity(entry, labels)
        return AlertEvent(at, FIRED, rule, episode, labels=labels or None, severity=severity)
    if kind == "notify_log_entry":
        return _notified(entry, at, rule, episode, people)
    if kind == "acknowledge_log_entry":
        person = _user(entry, "agent")
        return None if person is None else AlertEvent(at, ACKED, rule, episode, person=people.person(person))
    if kind == "resolve_log_entry":
        person = _user(entry, "agent")
        if person is None:
            return AlertEvent(at, RESOLVED, rule, episode)
        return AlertEvent(at, CLOSED, rule, episode, person=people.person(person))
    if kind == "escalate_log_entry":
        return AlertEvent(at, ESCALATED, rule, episode)
    return None


def _service(entry: Entry) -> str:
    name = entry.text("service.summary") or entry.text("service.name") or entry.text("service.id")
    if name is None:
        raise entry.error("service", "is required (a service reference with its summary or id)")
    return clip(name, 300) or ""


def _details(entry: Entry) -> dict[str, str]:
    labels: dict[str, str] = {}
    for path in ("channel.cef_details.details", "channel.details"):
        details = entry.get(path)
        if isinstance(details, dict):
            labels.update({k: v for k, v in details.items() if isinstance(v, str)})
    return labels


def _severity(entry: Entry, labels: Mapping[str, str]) -> str | None:
    severity = (
        entry.text("channel.severity") or entry.text("channel.cef_details.severity") or labels.get("severity")
    )
    return clip(severity, 20)


def _notified(entry: Entry, at, rule: str, episode: str, people: People) -> AlertEvent | None:
    method = entry.text("channel.notification.type") or entry.text("notification.type")
    if method is None:
        raise entry.error(
            "channel.notification.type",
            "is required on a notify entry (sms, phone, email, push_notification)",
        )
    if method in IGNORED:
        return None
    channel = CHANNELS.get(method)
    if channel is None:
        raise entry.error("channel.notification.type", f"unknown notification type {method!r}")
    person = _user(entry, "user")
    if person is None:
        raise entry.error("user", "is required on a notify entry (the user notified)")
    name = people.person(person)
    return AlertEvent(at, PAGED, rule, episode, person=name, channel=channel, timezone=people.timezone(name))


def _user(entry: Entry, path: str) -> str | None:
    """The user an entry names at `path` (e-mail, else name); None when it is a service or integration."""
    reference = entry.get(path)
    if reference is None:
        return None
    if not isinstance(reference, dict):
        raise entry.error(path, "must be a reference object")
    kind = reference.get("type")
    if kind is not None and kind not in ("user", "user_reference"):
        return None
    if (
        kind is None
        and path == "agent"
        and entry.text("channel.type") in ("api", "auto", "timeout", "nagios")
    ):
        return None
    return (
        entry.text(f"{path}.email")
        or entry.text(f"{path}.summary")
        or entry.text(f"{path}.name")
        or entry.text(f"{path}.id")
    )
