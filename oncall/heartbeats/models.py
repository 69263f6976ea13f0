"""The state of each configured heartbeat: when its clock started, its last beat, its open miss."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class HeartbeatState(Base):
    """One row per heartbeat name, created the first time the configuration names it.

    The row outlives restarts: `started_at` is when the heartbeat first appeared, so a restart does
    not reset its clock. `missing_since` is set (by a compare-and-set, so two instances open one
    alert) while a miss is open; `missing_alert_id` is the alert that miss opened.
    """

    __tablename__ = "heartbeats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_beat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_beat_source: Mapped[str | None] = mapped_column(String(20), nullable=True)  # api|alertmanager|…
    beats: Mapped[int] = mapped_column(Integer, default=0)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    missing_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    missing_alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="SET NULL"), nullable=True
    )
