"""Why a maintenance window cannot be started or ended, as domain errors (no HTTP codes here).

oncall/web/errors.py maps each class to an HTTP status; the CLI prints the message. `field` names
the input at fault, when there is one.
"""

from __future__ import annotations


class MaintenanceError(ValueError):
    """A maintenance action that cannot be done; the subclass says why, the message says how."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidWindow(MaintenanceError):
    """A window that cannot exist: no labels to match, no reason, an end not after its start…"""


class WindowNotFound(MaintenanceError, LookupError):
    """No window has that id."""

    def __init__(self, window_id: str) -> None:
        super().__init__(f"no maintenance window {window_id}")


class WindowInYaml(MaintenanceError):
    """A YAML window: it ends when the file says, so it is changed by editing the file."""

    def __init__(self, window_id: str) -> None:
        super().__init__(
            f"maintenance window {window_id} is in the configuration file: edit its `to` in the "
            "`maintenance` section of the YAML (then `config apply`) to end it early"
        )


class WindowAlreadyEnded(MaintenanceError):
    """The window is over (ended early, or past its end)."""
