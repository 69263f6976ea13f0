"""Every Slack message the service posted about an alert, so it can be updated later.

One row per (message, alert): a DM bundle of three alerts is three rows with the same `channel`
and `ts`. A team-channel post is a row before it is a message (`ts` None, status "pending"), so
a crash or a Slack outage delays it and never loses it; its unique `key` makes it one post per
alert and channel however many instances look. `shown` is the alert status the message shows:
when the alert's status moves on, the message is due for a `chat.update` (the durable "pending
update" marker), and `lease_until` lets one instance at a time send it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class SlackMessage(Base):
    __tablename__ = "slack_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "post:<alert>:<channel>" for a team-channel post, "dm:<alert>:<channel>:<ts>" for a DM.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "dm" | "channel"
    person: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the DM's recipient
    channel: Mapped[str] = mapped_column(String(40))  # Slack channel id (C…, G…, or the DM's D…)
    ts: Mapped[str | None] = mapped_column(String(40), nullable=True)  # None until posted
    status: Mapped[str] = mapped_column(String(10))  # pending | posted | failed
    shown: Mapped[str | None] = mapped_column(String(20), nullable=True)  # alert status on screen
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_slack_messages_channel_ts", "channel", "ts"),
        # The jobs' scans: pending posts, and posted messages whose alert may still change.
        Index("ix_slack_messages_state", "status", "shown"),
    )
