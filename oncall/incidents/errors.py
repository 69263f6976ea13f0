"""Why an incident action cannot be done, as domain errors (pure; no HTTP codes here).

oncall/web/errors.py maps each class to an HTTP status; the pages and SMS answers show the message.
`field` names the input at fault, when there is one.
"""

from __future__ import annotations


class IncidentError(ValueError):
    """An incident action that cannot be done; the subclass says why, the message says how."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidIncidentInput(IncidentError):
    """A value that is not one of the allowed ones (severity, role, priority, empty title…)."""


class IncidentNotFound(IncidentError, LookupError):
    """No incident has that id."""

    def __init__(self, incident_id: int) -> None:
        super().__init__(f"no incident INC-{incident_id}")


class ActionItemNotFound(IncidentError, LookupError):
    """No action item has that id."""

    def __init__(self, item_id: int) -> None:
        super().__init__(f"no action item {item_id}")


class StatusNotAllowed(IncidentError):
    """The status cannot follow the incident's current one (status moves forward only)."""


class UnknownPerson(IncidentError):
    """A role holder or action-item owner who is not in the configuration's `people`."""


class UnknownRotation(IncidentError):
    """A role source naming a rotation the configuration does not have."""


class NobodyOnCall(IncidentError):
    """A role source naming a rotation that has nobody on call right now (a gap)."""


class UnknownAlerts(IncidentError):
    """Alert ids to attach that do not exist."""
