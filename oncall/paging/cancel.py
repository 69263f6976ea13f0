"""Cancel pages not sent yet, when their alert is acknowledged or resolved."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.orm import Session

from oncall.paging.models import Notification

CHUNK = 500  # ids per statement: well under every database's bound-parameter limit


def cancel_pending(
    session: Session, alert_ids: Sequence[int], *, only_if_acked: bool, person: str | None = None
) -> None:
    """Stop pages not sent yet: all of them, or after an ack those that ask to stop on an ack and
    the acknowledger's own (she knows; other people's pages follow their level's condition)."""
    for start in range(0, len(alert_ids), CHUNK):
        query = update(Notification).where(
            Notification.alert_id.in_(alert_ids[start : start + CHUNK]), Notification.status == "pending"
        )
        if only_if_acked:
            stop = Notification.cancel_if_acked.is_(True)
            if person is not None:
                stop = stop | (Notification.person == person)
            query = query.where(stop)
        session.execute(query.values(status="cancelled"))
