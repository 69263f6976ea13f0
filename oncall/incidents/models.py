"""Incidents, the alerts attached to them, their role holders, timeline entries and action items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class Incident(Base):
    """One incident; people see its id as INC-<id>."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), index=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    team: Mapped[str | None] = mapped_column(String(100), nullable=True)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime())
    declared_by: Mapped[str] = mapped_column(String(100))
    impact_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    commander_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_monitoring_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Reminders: the paging side claims incidents whose update is overdue, counting what it sent.
    next_update_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    postmortem_draft: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: generate it
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def number(self) -> str:
        """The incident as people name it: INC-7."""
        return f"INC-{self.id}"


class IncidentAlert(Base):
    """An alert attached to an incident (an alert may belong to several)."""

    __tablename__ = "incident_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("incident_id", "alert_id"),)


class IncidentRole(Base):
    """Who holds a role now; earlier holders are in the timeline's `role` entries."""

    __tablename__ = "incident_roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))  # commander|communications|sme|scribe
    person: Mapped[str] = mapped_column(String(100), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    assigned_by: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(200), default="")  # "rotation payments", "person", …

    __table_args__ = (UniqueConstraint("incident_id", "role"),)


class IncidentEntry(Base):
    """One line of the incident's own timeline: declared, role, update, note, alert, reminder, postmortem."""

    __tablename__ = "incident_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)  # set by updates
    details: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_incident_entries_incident_at", "incident_id", "at"),)


class ActionItem(Base):
    """A follow-up of an incident: an owner, a due date and a priority; overdue ones are reported."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(100), index=True)
    due: Mapped[date] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(2))  # P1|P2|P3
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_action_items_open_due", "done_at", "due"),)
