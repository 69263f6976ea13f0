"""Who may sign in to the web UI. Passwords live here (hashed), never in the YAML."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
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


class UISession(Base):
    """A signed-in session. The cookie carries a random id; only its sha256 is kept here.

    Signing out deletes the row, so a copy of the cookie stops working at once.
    """

    __tablename__ = "ui_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LoginFailure(Base):
    """One wrong password: the sign-in throttle counts recent rows per login and per address.

    Kept in the database so every gunicorn worker and every instance counts the same failures.
    """

    __tablename__ = "ui_login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (
        Index("ix_ui_login_failures_login_at", "login", "at"),
        Index("ix_ui_login_failures_address_at", "address", "at"),
    )
