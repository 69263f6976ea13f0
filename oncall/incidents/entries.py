"""Writing lines of an incident's own timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from oncall.incidents.errors import InvalidIncidentInput
from oncall.incidents.models import Incident, IncidentEntry

ENTRY_KINDS = ("declared", "role", "update", "note", "alert", "reminder", "postmortem")


def record(
    session: Session,
    incident: Incident,
    kind: str,
    text: str,
    *,
    now: datetime,
    actor: str,
    status: str | None = None,
    details: dict[str, Any] | None = None,
) -> IncidentEntry:
    """Add one line to the incident's timeline and mark the incident changed at `now`."""
    if kind not in ENTRY_KINDS:
        raise InvalidIncidentInput(
            f"entry kind must be one of {', '.join(ENTRY_KINDS)}, not {kind!r}", "kind"
        )
    entry = IncidentEntry(
        incident_id=incident.id, at=now, kind=kind, actor=actor, text=text, status=status, details=details
    )
    session.add(entry)
    incident.updated_at = now
    return entry
