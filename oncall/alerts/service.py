"""Store incoming alerts: new episodes, repeats, resolutions — one transaction per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import close_alert
from oncall.alerts.followups import FollowUps
from oncall.alerts.hold_models import AlertHold
from oncall.alerts.holds import HoldLookup
from oncall.alerts.intake import IncomingAlert
from oncall.alerts.models import Alert, AlertEvent
from oncall.alerts.plan import Known, NewEpisode, NoRouteError, SeverityAdjuster, open_key, plan_ingest
from oncall.config.model import Config

__all__ = ["IngestResult", "NoRouteError", "SeverityAdjuster", "ingest", "resolve_from_source"]


@dataclass
class IngestResult:
    created: list[int] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    ignored: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "repeated": len(self.repeated),
            "resolved": self.resolved,
            "ignored": self.ignored,
        }


def ingest(
    session: Session,
    config: Config,
    incoming: list[IncomingAlert],
    now: datetime,
    adjust: SeverityAdjuster | None = None,
    *,
    follow: FollowUps,
    hold: HoldLookup | None = None,
) -> IngestResult:
    """Store a batch of alerts in the caller's transaction; the caller commits, then answers 2xx.

    Reads what the store knows of the batch's keys, asks `plan_ingest` what to do, writes it. A
    request costs a fixed handful of statements whatever its size: one lookup of open episodes,
    one of closed ones, one multi-row insert per table, one update for repeats.
    """
    plan = plan_ingest(incoming, _known(session, incoming), config, now, adjust, hold=hold)
    if plan.resolve:
        # First, so that a key resolved and fired again in one payload is free for its new episode.
        for alert in session.scalars(select(Alert).where(Alert.id.in_(plan.resolve))):
            resolve_from_source(session, alert, now, follow=follow)
        session.flush()
    created = _insert_episodes(session, plan.create, now)
    _mark_held(session, created)
    follow.begin(
        session,
        [(alert_id, e.row["policy"], e.escalate_at) for alert_id, e in created if e.escalate_at is not None],
    )
    result = IngestResult(ignored=plan.ignored)
    result.created = [alert_id for alert_id, episode in created if not episode.resolved]
    result.resolved = [alert_id for alert_id, episode in created if episode.resolved]
    result.resolved.extend(plan.resolve)
    if plan.repeat:
        session.execute(
            update(Alert).where(Alert.id.in_(plan.repeat)).values(last_seen_at=now),
            execution_options={"synchronize_session": False},
        )
        result.repeated = list(plan.repeat)
    return result


def resolve_from_source(session: Session, alert: Alert, now: datetime, *, follow: FollowUps) -> None:
    """The source says the alert is over: resolve it and stop its escalation."""
    close_alert(session, alert, now, by="source", via="source", follow=follow)


def _known(session: Session, incoming: list[IncomingAlert]) -> Known:
    """The open episodes of the batch's keys, and which of the others had an episode before."""
    keys = {open_key(a) for a in incoming}
    open_ids = dict(session.execute(select(Alert.open_key, Alert.id).where(Alert.open_key.in_(keys))).all())
    wanted = {(a.source, a.dedup_key) for a in incoming if open_key(a) not in open_ids}
    if not wanted:
        return Known(open_ids)
    rows = session.execute(  # both columns, so the (source, dedup_key) index answers, not a scan
        select(Alert.source, Alert.dedup_key).where(
            Alert.source.in_({s for s, _ in wanted}), Alert.dedup_key.in_({k for _, k in wanted})
        )
    ).all()
    return Known(open_ids, frozenset((src, key) for src, key in rows if (src, key) in wanted))


def _mark_held(session: Session, created: list[tuple[int, NewEpisode]]) -> None:
    """Record which maintenance window each new alert arrived in: one insert, none when no window."""
    marks = [
        {
            "alert_id": alert_id,
            "window_key": e.hold.window,
            "reason": e.hold.reason,
            "until": e.hold.until,
            "held": e.hold.held,
        }
        for alert_id, e in created
        if e.hold is not None
    ]
    if marks:
        session.execute(insert(AlertHold.__table__), marks)


def _insert_episodes(
    session: Session, episodes: tuple[NewEpisode, ...], now: datetime
) -> list[tuple[int, NewEpisode]]:
    """Insert new alerts and their timeline lines: one statement per table."""
    if not episodes:
        return []
    # Core inserts: the ORM's bulk path costs more than the statements themselves here.
    table = Alert.__table__
    ids = (
        session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), [e.row for e in episodes]
        )
        .scalars()
        .all()
    )
    created = list(zip(ids, episodes, strict=True))
    events = [
        {"alert_id": alert_id, "at": now, "kind": kind, "detail": detail}
        for alert_id, episode in created
        for kind, detail in episode.timeline
    ]
    session.execute(insert(AlertEvent.__table__), events)
    return created
