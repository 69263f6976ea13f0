"""An incident's timeline: its own entries, and the alert events and pages of its attached alerts.

Rows are built from recorded facts (kinds, people, channels), never from provider error texts,
and every text passes through the phone mask: no phone number reaches a timeline or postmortem.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.incidents.models import Incident, IncidentAlert, IncidentEntry
from oncall.incidents.postmortem import MONITORING, SYSTEM
from oncall.incidents.postmortem import Row as TimelineRow
from oncall.paging.redact import mask_phones_in_text

__all__ = ["MONITORING", "SYSTEM", "TimelineRow", "timeline"]


def timeline(session: Session, incident: Incident, config: Config | None = None) -> list[TimelineRow]:
    """Every row of the incident's story in time order (ties: alert facts before entries).

    `config` gives people's names; without it their keys are shown.
    """
    names = {key: person.name for key, person in config.people.items()} if config is not None else {}
    ranked: list[tuple[datetime, int, int, TimelineRow]] = []
    for entry in session.scalars(select(IncidentEntry).where(IncidentEntry.incident_id == incident.id)):
        ranked.append((entry.at, 1, entry.id, _entry_row(entry, names)))
    alerts = _attached_alerts(session, incident)
    if alerts:
        events = session.scalars(select(AlertEvent).where(AlertEvent.alert_id.in_(alerts)))
        for event in events:
            row = _event_row(event, alerts[event.alert_id], names)
            if row is not None:
                ranked.append((row.at, 0, event.id, row))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]


def _attached_alerts(session: Session, incident: Incident) -> dict[int, Alert]:
    query = (
        select(Alert)
        .join(IncidentAlert, IncidentAlert.alert_id == Alert.id)
        .where(IncidentAlert.incident_id == incident.id)
    )
    return {alert.id: alert for alert in session.scalars(query)}


def _name(names: Mapping[str, str], key: str | None) -> str:
    if not key:
        return SYSTEM
    return names.get(key, key)


def _entry_row(entry: IncidentEntry, names: Mapping[str, str]) -> TimelineRow:
    key = entry.actor if entry.actor in names else None
    return TimelineRow(entry.at, _name(names, entry.actor), entry.kind, mask_phones_in_text(entry.text), key)


def _event_row(event: AlertEvent, alert: Alert, names: Mapping[str, str]) -> TimelineRow | None:
    """The timeline row of an alert event, or None for the engine's bookkeeping lines."""
    tag = f"Alert #{alert.id} {alert.rule}"
    person = _name(names, event.person)
    key = event.person if event.person in names else None
    channel = event.channel or "sms"
    if event.kind == "received":
        summary = f": {alert.summary}" if alert.summary else ""
        # Fired when the source says it started (Alertmanager's startsAt), not when it reached us.
        text = mask_phones_in_text(f"{tag} fired{summary}")
        return TimelineRow(min(alert.started_at, event.at), MONITORING, "alert_fired", text)
    if event.kind == "notified":
        return TimelineRow(
            event.at, SYSTEM, "page_sent", f"Paged {person} by {_channel(channel)} for alert #{alert.id}"
        )
    if event.kind == "delivery_failed":
        text = f"Page to {person} by {_channel(channel)} for alert #{alert.id} failed"
        return TimelineRow(event.at, SYSTEM, "page_failed", text)
    if (
        event.kind == "voice_status"
        and (event.detail or "").startswith("completed")
        and "voicemail" not in event.detail
    ):
        return TimelineRow(
            event.at, person, "page_answered", f"{person} answered the call for alert #{alert.id}", key
        )
    if event.kind == "acknowledged":
        how = f" by {_channel(event.channel)}" if event.channel else ""
        return TimelineRow(event.at, person, "alert_acknowledged", f"{tag} acknowledged{how}", key)
    if event.kind == "resolved":
        if event.person is None:
            return TimelineRow(event.at, MONITORING, "alert_resolved", f"{tag} resolved by its source")
        return TimelineRow(event.at, person, "alert_resolved", f"{tag} resolved", key)
    if event.kind == "escalate_requested":
        text = mask_phones_in_text(f"{person} asked to escalate {tag}: {event.detail}")
        return TimelineRow(event.at, person, "escalated", text, key)
    if event.kind == "escalated":
        return TimelineRow(
            event.at, SYSTEM, "escalated", mask_phones_in_text(f"{tag} escalated: {event.detail}")
        )
    return None


def _channel(channel: str | None) -> str:
    return {"sms": "SMS", "voice": "call", "call": "call"}.get(channel or "", channel or "")
