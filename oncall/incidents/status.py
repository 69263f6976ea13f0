"""The rules of an incident's status, severity, roles and update rhythm (pure).

Status moves forward only — Investigating → Identified → Monitoring → Resolved → Post-Incident,
skipping allowed — except that Monitoring may return to Identified (the fix did not hold).
Posting the current status again is an ordinary update.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from oncall.config.model import INCIDENT_ROLES, SEVERITIES
from oncall.incidents.errors import InvalidIncidentInput, StatusNotAllowed

STATUSES = ("Investigating", "Identified", "Monitoring", "Resolved", "Post-Incident")
CLOSED_STATUSES = frozenset({"Resolved", "Post-Incident"})
OPEN_STATUSES = tuple(s for s in STATUSES if s not in CLOSED_STATUSES)
ROLES = INCIDENT_ROLES
ROLE_TITLES = {"commander": "Commander", "communications": "Communications", "sme": "SME", "scribe": "Scribe"}
PRIORITIES = ("P1", "P2", "P3")
BACKWARD_ALLOWED = frozenset({("Monitoring", "Identified")})

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "PRIORITIES",
    "ROLES",
    "ROLE_TITLES",
    "SEVERITIES",
    "STATUSES",
    "allowed_next",
    "check_priority",
    "check_role",
    "check_severity",
    "check_transition",
    "is_open",
    "next_update_due",
]


def allowed_next(current: str) -> tuple[str, ...]:
    """The statuses an update may set on an incident whose status is `current`."""
    position = STATUSES.index(current)
    back = tuple(to for (frm, to) in BACKWARD_ALLOWED if frm == current)
    return back + STATUSES[position:]


def check_transition(current: str, new: str) -> None:
    """Raise unless `new` is a known status that may follow `current`."""
    if new not in STATUSES:
        raise InvalidIncidentInput(f"status must be one of {', '.join(STATUSES)}, not {new!r}", "status")
    allowed = allowed_next(current)
    if new not in allowed:
        raise StatusNotAllowed(
            f"status cannot go from {current} to {new}: it moves forward only "
            f"(from {current}: {', '.join(allowed)})",
            "status",
        )


def is_open(status: str) -> bool:
    """True until the incident is Resolved (or in its postmortem)."""
    return status not in CLOSED_STATUSES


def check_severity(severity: str) -> str:
    """`severity` when it is SEV-1…SEV-4, else an InvalidIncidentInput naming the choices."""
    if severity not in SEVERITIES:
        raise InvalidIncidentInput(
            f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}", "severity"
        )
    return severity


def check_role(role: str) -> str:
    """`role` when it is commander, communications, sme or scribe."""
    if role not in ROLES:
        raise InvalidIncidentInput(f"role must be one of {', '.join(ROLES)}, not {role!r}", "roles")
    return role


def check_priority(priority: str) -> str:
    """`priority` when it is P1, P2 or P3."""
    if priority not in PRIORITIES:
        raise InvalidIncidentInput(
            f"priority must be one of {', '.join(PRIORITIES)}, not {priority!r}", "priority"
        )
    return priority


def next_update_due(severity: str, now: datetime, update_every: Mapping[str, timedelta]) -> datetime | None:
    """When the next status update is due for an incident of `severity`; None when it has no rhythm."""
    interval = update_every.get(severity)
    return None if interval is None else now + interval
