"""The port through which the alerts flow tells the rest of the service what an action changed.

Acknowledging, resolving and escalating an alert are recorded here, in the alerts package (the
alert's status and its timeline). What else must change in the same transaction belongs to the
packages above it: the escalation stops or moves on, pages not sent yet are cancelled. The
alerts package does not import them; whoever calls an action hands in a `FollowUps` (the one
implementation is `oncall.escalation.followups.FOLLOW_UPS`), so dependencies point one way:
escalation → paging → alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.config.model import Config


class FollowUps(Protocol):
    """What follows an action on alerts, inside the caller's transaction."""

    def acknowledged(self, session: Session, alert_ids: Sequence[int], person: str | None) -> None:
        """Cancel the pages that stop on an acknowledgement, and the acknowledger's own."""

    def resolved(self, session: Session, alert_ids: Sequence[int]) -> None:
        """Stop the escalation of these alerts and cancel every page not sent yet."""

    def escalate_now(self, session: Session, config: Config, alert: Alert, now: datetime) -> int | None:
        """Make the next level due now; its number (1-based), or None when no level is left.

        Raises `ActionNotAllowed` when the alert has no escalation policy to follow.
        """

    def begin(self, session: Session, starts: Sequence[tuple[int, str, datetime]]) -> None:
        """Start the escalation of new alerts: (alert id, policy, first step due at)."""
