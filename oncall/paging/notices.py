"""Notices: outbox rows that carry their own text instead of an alert (role pages, reminders, digests).

A notice is queued by the flow that knows what it says (incidents, one layer up), with its text
in `body` and a key `<kind>:<what>:<person>:<channel>:<attempt>`, e.g. `role:7:commander:kim:sms:0`.
From then on it is an ordinary outbox row: the same per-person rate limit (it waits when its
person had a message on that channel in the last minute, and makes alert pages wait behind it),
the same claim and lease, the same provider, the same retries with backoff. A failed `role` SMS
falls back to a call, as an alert page does; other kinds only retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.paging.models import Notification

# Kinds whose failed SMS falls back to a call (a page that needs the person now).
CALLING_KINDS = frozenset({"role"})
# Which part of a spoken notice to read: the SMS text up to the reply hint.
_HINT = " - reply"


def notice_key(kind: str, what: str, person: str, channel: str, attempt: int = 0) -> str:
    """The outbox key of a notice: the same notice queued twice has the same key (one message)."""
    return f"{kind}:{what}:{person}:{channel}:{attempt}"


def notice_row(
    *,
    kind: str,
    what: str,
    person: str,
    channel: str,
    body: str,
    due_at: datetime,
    now: datetime,
    incident_id: int | None = None,
    cancel_if_acked: bool = False,
) -> Notification:
    """A pending notice row (insert it with `outbox.insert_new`, which skips a key already taken)."""
    return Notification(
        key=notice_key(kind, what, person, channel),
        alert_id=None,
        incident_id=incident_id,
        level=0,
        round=0,
        person=person,
        channel=channel,
        attempt=0,
        status="pending",
        due_at=due_at,
        cancel_if_acked=cancel_if_acked,
        created_at=now,
        body=body,
    )


def is_notice(row: Notification) -> bool:
    """True for a row that stands for no alert."""
    return row.alert_id is None


def retry_row(failed: Notification, channel: str, attempt: int, due: datetime, now: datetime) -> Notification:
    """The same notice again on `channel` (a retry, or the call after a failed SMS)."""
    kind, what, person, *_ = failed.key.split(":")
    row = notice_row(
        kind=kind,
        what=what,
        person=person,
        channel=channel,
        body=failed.body,
        due_at=due,
        now=now,
        incident_id=failed.incident_id,
        cancel_if_acked=failed.cancel_if_acked,
    )
    row.key = notice_key(kind, what, person, channel, attempt)
    row.attempt = attempt
    return row


def calls_on_failure(row: Notification) -> bool:
    """Whether a notice whose SMS failed for good is worth a call."""
    return row.key.split(":", 1)[0] in CALLING_KINDS


def joined_text(bodies: Sequence[str]) -> str:
    """One message for the notices due together for one person: their texts, in order."""
    return " / ".join(dict.fromkeys(b for b in bodies if b))


_SMS_ONLY = (_HINT, ". Updates: u ")  # reply instructions that only make sense by SMS


def plain_notice(body: str) -> str:
    """A notice's text for email or Slack: the SMS text without its reply instructions."""
    for marker in _SMS_ONLY:
        body = body.split(marker, 1)[0]
    return body


def spoken_notice(bodies: Sequence[str]) -> str:
    """What a call says for notices: each text without its SMS reply hint."""
    parts = [b.split(_HINT, 1)[0].rstrip(". ") + "." for b in dict.fromkeys(bodies) if b]
    return " ".join(parts) or "An incident needs you."


def acknowledge_notices(session: Session, incident_id: int, person: str, now: datetime) -> int:
    """`person` answered their incident page: stop the calls still to come, mark the sent ones answered.

    Returns how many rows changed (0: nothing of that incident was paged to them).
    """
    base = (Notification.incident_id == incident_id, Notification.person == person)
    cancelled = session.execute(
        update(Notification)
        .where(*base, Notification.status == "pending", Notification.cancel_if_acked.is_(True))
        .values(status="cancelled"),
        execution_options={"synchronize_session": False},
    ).rowcount
    answered = session.execute(
        update(Notification)
        .where(*base, Notification.status.in_(("sent", "delivered")))
        .values(status="answered"),
        execution_options={"synchronize_session": False},
    ).rowcount
    return (cancelled or 0) + (answered or 0)


def cancel_notices(
    session: Session, *, incident_ids: Sequence[int] = (), person: str | None = None, kind: str | None = None
) -> int:
    """Cancel the notices not sent yet of these incidents (only `person`'s, only of `kind`, if given)."""
    if not incident_ids:
        return 0
    query = update(Notification).where(
        Notification.incident_id.in_(list(incident_ids)), Notification.status == "pending"
    )
    if person is not None:
        query = query.where(Notification.person == person)
    if kind is not None:
        query = query.where(Notification.key.like(f"{kind}:%"))
    result = session.execute(
        query.values(status="cancelled"), execution_options={"synchronize_session": False}
    )
    return result.rowcount or 0


def notice_bodies(session: Session, row_ids: Sequence[int]) -> list[str]:
    """The texts of the notices `row_ids`, in row order."""
    return list(
        session.scalars(
            select(Notification.body).where(Notification.id.in_(list(row_ids))).order_by(Notification.id)
        )
    )
