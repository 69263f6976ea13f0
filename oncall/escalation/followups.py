"""What an action on an alert changes in its escalation and in the outbox (the `FollowUps` port).

The alerts flow (`oncall.alerts.actions`) records the action; this module, one layer up, stops
or moves the escalation and cancels pages, in the same transaction. The edges and the engine
hand `FOLLOW_UPS` to the actions they call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from oncall.alerts.errors import ActionNotAllowed
from oncall.alerts.followups import FollowUps
from oncall.alerts.models import Alert
from oncall.config.model import Config
from oncall.escalation import core
from oncall.escalation.models import Escalation
from oncall.paging.cancel import cancel_pending


class EscalationFollowUps:
    """The `FollowUps` of the running service: escalation rows and the outbox. Stateless."""

    def acknowledged(self, session: Session, alert_ids: Sequence[int], person: str | None) -> None:
        """Cancel the pages that stop on an acknowledgement, and the acknowledger's own."""
        cancel_pending(session, alert_ids, only_if_acked=True, person=person)

    def resolved(self, session: Session, alert_ids: Sequence[int]) -> None:
        """Stop the escalation of these alerts and cancel every page not sent yet."""
        session.execute(
            update(Escalation).where(Escalation.alert_id.in_(alert_ids)).values(cursor=None, next_at=None)
        )
        cancel_pending(session, alert_ids, only_if_acked=False)

    def escalate_now(self, session: Session, config: Config, alert: Alert, now: datetime) -> int | None:
        """Make the next level due now; its number (1-based), or None when no level is left."""
        esc = session.get(Escalation, alert.id)
        policy = config.escalations.get(alert.policy or "")
        if esc is None or policy is None:
            raise ActionNotAllowed(f"alert #{alert.id} has no escalation policy to follow")
        started = max(esc.started_at, now) if esc.last_level < 0 else esc.started_at
        moved = core.escalate_now(
            policy,
            esc.last_round,
            esc.last_level,
            started_at=started,
            shift=timedelta(seconds=esc.shift_seconds),
            now=now,
        )
        if moved is None:
            return None
        cursor, shift = moved
        esc.started_at = started
        esc.cursor = cursor
        esc.shift_seconds = shift.total_seconds()
        esc.next_at = now
        # The asked-for level pages even if the alert is acknowledged (its `when` would skip it);
        # the acknowledgement itself stays.
        esc.forced_cursor = cursor
        return core.unroll(policy)[cursor].level + 1

    def begin(self, session: Session, starts: Sequence[tuple[int, str, datetime]]) -> None:
        """Start the escalation of new alerts at their first level: one insert for all."""
        if starts:
            session.execute(insert(Escalation.__table__), [_first_step(*start) for start in starts])


def _first_step(alert_id: int, policy: str, due: datetime) -> dict:
    return {
        "alert_id": alert_id,
        "policy": policy,
        "started_at": due,
        "cursor": 0,
        "next_at": due,
        "shift_seconds": 0.0,
        "last_round": -1,
        "last_level": -1,
    }


FOLLOW_UPS: FollowUps = EscalationFollowUps()
