"""Why an action on an alert cannot be done, as domain errors (pure; no HTTP codes here).

The edges choose the answer: oncall/web/errors.py maps each class to an HTTP status, the web
pages show the message, an SMS reply is answered in words.
"""

from __future__ import annotations


class ActionError(ValueError):
    """An action on an alert that cannot be done; the subclass says why, the message says how."""


class AlertNotFound(ActionError, LookupError):
    """No alert has that id."""


class UnknownAction(ActionError, LookupError):
    """The action is none of ack, resolve, escalate or vote."""


class InvalidVote(ActionError):
    """A vote whose value is neither `actionable` nor `noise`."""


class ActionNotAllowed(ActionError):
    """The alert's state does not allow the action (escalating a resolved alert, or one with no policy)."""
