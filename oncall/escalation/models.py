"""Escalation deadlines: one row per open alert, claimed by whichever engine gets there first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class Escalation(Base):
    __tablename__ = "escalations"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    policy: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when paging was allowed to start
    cursor: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: finished
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    shift_seconds: Mapped[float] = mapped_column(Float, default=0.0)  # "escalate now" moves time
    last_round: Mapped[int] = mapped_column(Integer, default=-1)
    last_level: Mapped[int] = mapped_column(Integer, default=-1)
    # The step a person asked for ("escalate now"): it pages even when the alert is acknowledged.
    forced_cursor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Compare-and-set lease for databases without SKIP LOCKED (SQLite).
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
