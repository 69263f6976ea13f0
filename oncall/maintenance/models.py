"""Ad hoc maintenance windows (started from the CLI or the API); YAML windows live in the config."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class MaintenanceWindow(Base):
    """One ad hoc window: alerts whose labels include `match` page nobody from `starts_at` to
    `ends_at`, or to `ended_at` when someone ended it early. Its id is the number people see."""

    __tablename__ = "maintenance_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match: Mapped[str] = mapped_column(Text)  # JSON object: label -> value, all must be equal
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
