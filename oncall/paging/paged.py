"""Who a reply comes from when nobody says: the person the page was sent to.

`python -m oncall reply 1a` answers as whoever was sent code 1, so the demo's example works
whichever week it is run in, without first looking up who is on call.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.alerts.models import Alert
from oncall.paging.models import Notification, ReplyCode
from oncall.paging.replies import Reply


def paged_person(session: Session, reply: Reply) -> str | None:
    """The person a reply without a named sender stands for; None when nobody was paged for it.

    A reply naming an alert code (`1a`) comes from the person most recently sent that code whose
    alerts are not all resolved (else the most recent one); a reply about an incident
    (`a INC-7`) from the person most recently paged for that incident; anything else (`ack`,
    `help`) from the person most recently sent an open code, or else the last person paged.
    """
    if reply.incident is not None:
        return _last_paged(session, Notification.incident_id == int(reply.incident))
    query = select(ReplyCode).where(ReplyCode.open.is_(True)).order_by(ReplyCode.id.desc())
    if reply.code is not None:
        query = query.where(ReplyCode.code == reply.code)
    codes = list(session.scalars(query.limit(50)))
    live = next((row for row in codes if _has_open_alert(session, row)), None)
    chosen = live or (codes[0] if codes else None)
    if chosen is not None:
        return chosen.person
    return None if reply.code is not None else _last_paged(session, Notification.id.is_not(None))


def _has_open_alert(session: Session, code: ReplyCode) -> bool:
    ids = json.loads(code.alert_ids)
    query = select(Alert.id).where(Alert.id.in_(ids), Alert.status != "resolved").limit(1)
    return session.scalars(query).first() is not None


def _last_paged(session: Session, condition) -> str | None:
    query = select(Notification.person).where(condition).order_by(Notification.id.desc()).limit(1)
    return session.scalars(query).first()
