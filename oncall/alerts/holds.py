"""Maintenance windows as the intake sees them: an arriving alert held until a window ends (pure).

Whoever knows the windows (the runtime, from the YAML and the database) hands the intake a
`HoldLookup`: labels -> the window that holds them, or None. A held alert is stored like any
other, with a timeline line saying why it pages nobody; its escalation starts when the window
ends (its levels' `after` counted from then), so an alert still firing at the end pages then and
one resolved before never does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

from oncall.config.model import BusinessHours
from oncall.severity import page_hold_until
from oncall.wallclock import team_time


@dataclass(frozen=True)
class WindowHold:
    """The maintenance window an alert arrived in, as it was then.

    `window` is "3" for ad hoc window 3, "yaml:0" for the first YAML window; `held` is set by
    `hold_episode` when the alert would have paged (its escalation waits for `until`).
    """

    window: str
    reason: str
    until: datetime
    held: bool = False

    @property
    def name(self) -> str:
        """How people see the window: "maintenance window 3" or "maintenance window yaml:0"."""
        return f"maintenance window {self.window}"


HoldLookup = Callable[[Mapping[str, str]], WindowHold | None]


class _Episode(Protocol):
    """What holding needs of a new episode (`oncall.alerts.plan.NewEpisode`, a dataclass)."""

    row: Any
    timeline: tuple[tuple[str, str], ...]
    escalate_at: datetime | None

    @property
    def resolved(self) -> bool: ...


E = TypeVar("E", bound=_Episode)


def hold_episode(episode: E, hold: WindowHold | None, business_hours: BusinessHours, timezone: str) -> E:
    """`episode` marked with the window it arrived in and its escalation moved to the window's end.

    An episode already resolved on arrival, or no window, leaves it as it is.
    """
    if hold is None or episode.resolved:
        return episode
    until = team_time(hold.until, timezone)
    line = f"In {hold.name} ({hold.reason}) until {until}"
    if episode.escalate_at is None:  # would not have paged anyway (SEV-4, no policy)
        return replace(episode, timeline=(*episode.timeline, ("maintenance", line)), hold=hold)
    escalate_at = page_hold_until(episode.row["severity"], business_hours, hold.until) or hold.until
    timeline = (*episode.timeline, ("maintenance", f"{line}: not paged"))
    held = replace(hold, held=True)
    return replace(episode, timeline=timeline, escalate_at=escalate_at, hold=held)
