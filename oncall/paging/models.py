"""The outbox: every notification is a row before it is sent; reply codes per recipient."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class Notification(Base):
    """One page to one person on one channel. `key` makes a second insert of the same page fail.

    Rows due for the same person and channel within the rate-limit window are sent together as
    one message (a bundle): they share `batch_id` (the id of the row that carried the text) and
    the provider's `sid`. A row that fell due inside its person's window after a bundle went out
    waits for the window's end and has `attached_to` = that bundle's `batch_id`: the bundle's
    reply code and call keys act on it too.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # None for a notice (an incident role page, a reminder, a digest): its text is `body`, set
    # when it is queued, and its key says what it is (see oncall.paging.notices).
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), index=True, nullable=True
    )
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True, nullable=True
    )
    level: Mapped[int] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(Integer)
    person: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(10))  # sms | voice
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(
        String(20)
    )  # pending|sending|sent|delivered|failed|cancelled|answered
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancel_if_acked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    attached_to: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    sid: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_notifications_due", "status", "due_at"),
        Index("ix_notifications_person_sent", "person", "channel", "sent_at"),
    )


class ReplyCode(Base):
    """A short number a person replies with: one alert (`12a`) or a bundle (`100a`)."""

    __tablename__ = "reply_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person: Mapped[str] = mapped_column(String(100), index=True)
    code: Mapped[int] = mapped_column(Integer)
    alert_ids: Mapped[str] = mapped_column(Text)  # JSON list
    # The SMS that announced the code: rows attached to it (Notification.attached_to) are covered too.
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    open: Mapped[bool] = mapped_column(default=True, index=True)


class SmsOptOut(Base):
    """People who texted STOP: no SMS until START; calls still go out."""

    __tablename__ = "sms_opt_outs"

    person: Mapped[str] = mapped_column(String(100), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
