"""Database tables of the calendar feeds: secret tokens, and what each feed published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class CalendarToken(Base):
    """A secret feed URL. Only the sha256 of the token is kept; the token is shown once."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # "person" | "rotation"
    subject_key: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_calendar_tokens_subject", "subject_kind", "subject_key"),)


class PublishedEvent(Base):
    """What one feed last published about one event (see oncall.calendar.publication)."""

    __tablename__ = "calendar_published_events"

    subject_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_modified: Mapped[datetime] = mapped_column(UTCDateTime())
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime] = mapped_column(UTCDateTime())
    summary: Mapped[str] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
