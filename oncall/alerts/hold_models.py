"""Which maintenance window an alert arrived in (one row per alert that matched one)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class AlertHold(Base):
    """An alert that matched a maintenance window on arrival: the window as it was then.

    `window_key` is "3" for ad hoc window 3, "yaml:0" for the first YAML window. `held` says the alert
    would have paged: its escalation was held until `until` (moved to the early end when the
    window is ended early). A copy of the reason, so the mark survives edits of the YAML.
    """

    __tablename__ = "alert_maintenance"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    window_key: Mapped[str] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    held: Mapped[bool] = mapped_column(Boolean, default=False)
