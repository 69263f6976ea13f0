"""Which window holds an arriving alert: YAML and ad hoc windows as one plain list (pure).

A window covers an alert whose labels hold every item of its `match`, from `start` until it ends
(its planned `end`, or `ended_at` when someone ended it early). When two windows cover one alert,
the one that lasts longer holds it: the alert pages when the last planned work is over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from oncall.alerts.holds import HoldLookup, WindowHold
from oncall.config.model import MaintenanceWindow

SCHEDULED, ACTIVE, ENDED = "scheduled", "active", "ended"


@dataclass(frozen=True)
class Window:
    """One maintenance window, from the YAML (`id` "yaml:0") or the database (`id` "3")."""

    id: str
    match: tuple[tuple[str, str], ...]  # empty: every alert
    start: datetime
    end: datetime  # the planned end
    reason: str
    created_by: str = "config"
    created_at: datetime | None = None
    ended_at: datetime | None = None  # ended early

    @property
    def in_yaml(self) -> bool:
        """Whether the configuration file holds it (then only the file can change it)."""
        return self.id.startswith("yaml:")

    @property
    def ends(self) -> datetime:
        """When it stops holding alerts: its planned end, or earlier if it was ended early."""
        return self.end if self.ended_at is None else min(self.end, self.ended_at)

    def state(self, now: datetime) -> str:
        """ "scheduled", "active" or "ended" at `now`."""
        if now >= self.ends:
            return ENDED
        return ACTIVE if now >= self.start else SCHEDULED

    def covers(self, labels: Mapping[str, str], at: datetime) -> bool:
        """Whether an alert with `labels` arriving at `at` is held by this window."""
        if not self.start <= at < self.ends:
            return False
        return all(labels.get(label) == value for label, value in self.match)


def from_config(window: MaintenanceWindow) -> Window:
    """A YAML window in the common shape."""
    return Window(window.id, window.match, window.start, window.end, window.reason)


def hold_lookup(windows: Iterable[Window], now: datetime) -> HoldLookup:
    """What the intake asks of each alert arriving at `now`: the window that holds it, or None."""
    active = [window for window in windows if window.state(now) == ACTIVE]

    def lookup(labels: Mapping[str, str]) -> WindowHold | None:
        covering = [window for window in active if window.covers(labels, now)]
        if not covering:
            return None
        longest = max(covering, key=lambda window: window.ends)
        return WindowHold(longest.id, longest.reason, longest.ends)

    return lookup
