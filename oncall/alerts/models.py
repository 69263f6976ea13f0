"""Alerts and their timelines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class Alert(Base):
    """One episode of one alert: from firing to resolved. Its id is the number people see (#12)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    dedup_key: Mapped[str] = mapped_column(String(600))
    # source + ":" + dedup_key while the episode is open, NULL once resolved: the unique index makes
    # "one open episode per key" a database rule, and lets a later firing start a new episode.
    open_key: Mapped[str | None] = mapped_column(String(640), unique=True, nullable=True)
    rule: Mapped[str] = mapped_column(String(300), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # triggered|acknowledged|resolved
    severity: Mapped[str] = mapped_column(String(8))  # what it pages with
    base_severity: Mapped[str] = mapped_column(String(8))  # what the source asked for
    severity_reason: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")
    labels: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    annotations: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    runbook_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    policy: Mapped[str | None] = mapped_column(String(100), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acked_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)  # "source"|person

    __table_args__ = (Index("ix_alerts_source_dedup", "source", "dedup_key"),)


class AlertEvent(Base):
    """One line of an alert's timeline."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(30))
    person: Mapped[str | None] = mapped_column(String(100), nullable=True)
    channel: Mapped[str | None] = mapped_column(String(20), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
