"""The auditor's tables: each rule's remembered state, its decision history, imported events.

All on `oncall.db.Base`, so the service's migrations and `create_all` see them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncall.db import Base, UTCDateTime


class RuleState(Base):
    """Where a rule stands now: demoted by `shift` levels, pinned or not, and why."""

    __tablename__ = "audit_rule_states"

    rule: Mapped[str] = mapped_column(String(300), primary_key=True)
    shift: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    base_severity: Mapped[str | None] = mapped_column(String(10))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    changed_by: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)


class RuleDecision(Base):
    """One change to a rule's state, by the auditor or a person; the audit trail."""

    __tablename__ = "audit_rule_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(20))  # demote|promote|undo|pin|unpin
    by: Mapped[str] = mapped_column(String(100))  # "auditor" or a person
    from_shift: Mapped[int] = mapped_column(Integer)
    to_shift: Mapped[int] = mapped_column(Integer)
    from_severity: Mapped[str | None] = mapped_column(String(10))
    to_severity: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    threshold: Mapped[str] = mapped_column(Text, default="")


class ImportedEvent(Base):
    """An alert event from `audit import`; `dedup` makes importing a file twice harmless."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedup: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(300))
    episode: Mapped[str] = mapped_column(String(300))
    person: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(10))
    labels: Mapped[dict | None] = mapped_column(JSON)
    severity: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[str | None] = mapped_column(String(300))
    timezone: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column(Integer)
    last: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the event came from: "jsonl", "pagerduty", "opsgenie", "grafana-oncall", "prometheus",
    # "sample" (the demo's generated history, shown as such and set aside once real history arrives).
    source: Mapped[str | None] = mapped_column(String(40), index=True)
