"""Who may sign in to the web UI. Passwords live here (hashed), never in the YAML."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class UIUser(Base):
    """A sign-in for one person of the configuration (`person` is their config key)."""

    __tablename__ = "ui_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
