"""Beats in, misses out: each heartbeat's state in the database, changed by compare-and-set.

A heartbeat's clock runs from its last beat, or from when the configuration first named it (its
row's `started_at`, kept across restarts). When `every + grace` passes without a beat, `open_miss`
claims the miss with one conditional UPDATE (so two instances open one alert) and opens the
"Heartbeat <name> missing" alert, routed to the heartbeat's own escalation. A beat clears the miss
the same way and resolves that alert by the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.orm import Session

from oncall.alerts.followups import FollowUps
from oncall.alerts.holds import HoldLookup
from oncall.alerts.intake import IncomingAlert
from oncall.alerts.models import Alert
from oncall.alerts.service import ingest, resolve_from_source
from oncall.config.model import Config, Heartbeat, Route
from oncall.durations import format_duration
from oncall.heartbeats.models import HeartbeatState

SOURCE = "heartbeat"  # the `source` of the alerts a miss opens
MISSING_ALERTNAME = "HeartbeatMissing"


@dataclass(frozen=True)
class Status:
    """What a heartbeat looks like at `now`: for the API, the Now page and the CLI."""

    name: str
    state: str  # "ok" | "late" (past `every`, within `grace`) | "missing"
    every_seconds: float
    grace_seconds: float
    started_at: datetime
    last_beat_at: datetime | None
    last_beat_source: str | None
    due_by: datetime  # missing from this moment on, unless a beat arrives
    beats: int
    misses: int
    missing_since: datetime | None
    missing_alert_id: int | None


def status_of(heartbeat: Heartbeat, row: HeartbeatState, now: datetime) -> Status:
    """The heartbeat's state at `now` from its row."""
    since = row.last_beat_at or row.started_at
    if row.missing_since is not None or now >= since + heartbeat.allowed_silence:
        state = "missing"
    elif now >= since + heartbeat.every:
        state = "late"
    else:
        state = "ok"
    return Status(
        name=heartbeat.key,
        state=state,
        every_seconds=heartbeat.every.total_seconds(),
        grace_seconds=heartbeat.grace.total_seconds(),
        started_at=row.started_at,
        last_beat_at=row.last_beat_at,
        last_beat_source=row.last_beat_source,
        due_by=since + heartbeat.allowed_silence,
        beats=row.beats,
        misses=row.misses,
        missing_since=row.missing_since,
        missing_alert_id=row.missing_alert_id,
    )


def statuses(session: Session, config: Config, now: datetime) -> list[Status]:
    """Every configured heartbeat's status, by name; one not seen yet starts its clock now."""
    rows = ensure_rows(session, config, now)
    return [status_of(config.heartbeats[name], rows[name], now) for name in sorted(config.heartbeats)]


def known_statuses(session: Session, config: Config, now: datetime) -> list[Status]:
    """The status of every configured heartbeat that has a row already; one SELECT, no writes."""
    if not config.heartbeats:
        return []
    query = select(HeartbeatState).where(HeartbeatState.name.in_(list(config.heartbeats)))
    rows = sorted(session.scalars(query), key=lambda row: row.name)
    return [status_of(config.heartbeats[row.name], row, now) for row in rows]


def ensure_rows(session: Session, config: Config, now: datetime) -> dict[str, HeartbeatState]:
    """The row of every configured heartbeat, creating those not seen before (their clock: `now`).

    A row another instance created first is kept as it is: `INSERT … ON CONFLICT DO NOTHING`.
    """
    names = sorted(config.heartbeats)
    if not names:
        return {}
    query = select(HeartbeatState).where(HeartbeatState.name.in_(names))
    rows = {row.name: row for row in session.scalars(query)}
    missing = [name for name in names if name not in rows]
    if missing:
        new = [{"name": name, "started_at": now, "beats": 0, "misses": 0} for name in missing]
        session.execute(_insert_new(session).values(new))
        rows.update({row.name: row for row in session.scalars(query.where(HeartbeatState.name.in_(missing)))})
    return rows


def _insert_new(session: Session):
    """An INSERT that skips names already there, in the database's own dialect."""
    # Only the dialect in use is imported: PostgreSQL's costs a SQLite service ~1.5 MB of memory.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(HeartbeatState).on_conflict_do_nothing(index_elements=["name"])


def heartbeat_for(config: Config, labels: dict[str, str]) -> Heartbeat | None:
    """The heartbeat an alert with `labels` beats, if any (the loader ensures at most one)."""
    if "alertname" not in labels:
        return None
    return next((h for h in config.heartbeats.values() if h.takes(labels)), None)


def take_beats(
    session: Session,
    config: Config,
    incoming: Sequence[IncomingAlert],
    now: datetime,
    follow: FollowUps,
) -> list[IncomingAlert]:
    """Record the heartbeats' alerts among `incoming` as beats; the others, to be stored as alerts.

    A firing alert that a heartbeat takes is a beat; its `resolved` is nothing at all. Neither is
    stored as an alert nor paged.
    """
    if not config.heartbeats:
        return list(incoming)
    rest: list[IncomingAlert] = []
    beaten: set[str] = set()
    for alert in incoming:
        heartbeat = heartbeat_for(config, alert.labels)
        if heartbeat is None:
            rest.append(alert)
        elif alert.status == "firing" and heartbeat.key not in beaten:
            beaten.add(heartbeat.key)
            beat(session, config, heartbeat.key, now, source=alert.source, follow=follow)
    return rest


def beat(
    session: Session, config: Config, name: str, now: datetime, *, source: str, follow: FollowUps
) -> Status:
    """One beat of the configured heartbeat `name` at `now` (in the caller's transaction).

    Clears an open miss (one writer wins) and resolves its alert by the source.
    """
    heartbeat = config.heartbeats[name]
    row = ensure_rows(session, replace(config, heartbeats={name: heartbeat}), now)[name]
    session.execute(
        update(HeartbeatState)
        .where(HeartbeatState.id == row.id)
        .values(
            last_beat_at=_later(now),
            last_beat_source=source[:20],
            beats=HeartbeatState.beats + 1,
        ),
        execution_options={"synchronize_session": False},
    )
    _clear_miss(session, row.id, now, follow)
    session.flush()
    session.refresh(row)
    return status_of(heartbeat, row, now)


def _later(now: datetime) -> ColumnElement[datetime]:
    """`now`, unless the row holds a later beat (two instances' clocks, a late request)."""
    column = HeartbeatState.last_beat_at
    return case((column.is_(None), now), (column < now, now), else_=column)


def _clear_miss(session: Session, row_id: int, now: datetime, follow: FollowUps) -> None:
    """End an open miss: the instance whose UPDATE changes the row resolves the alert."""
    alert_id = session.scalar(
        select(HeartbeatState.missing_alert_id).where(
            HeartbeatState.id == row_id, HeartbeatState.missing_since.is_not(None)
        )
    )
    cleared = session.execute(
        update(HeartbeatState)
        .where(HeartbeatState.id == row_id, HeartbeatState.missing_since.is_not(None))
        .values(missing_since=None, missing_alert_id=None),
        execution_options={"synchronize_session": False},
    )
    if cleared.rowcount != 1 or alert_id is None:
        return
    alert = session.get(Alert, alert_id)
    if alert is not None and alert.status != "resolved":
        resolve_from_source(session, alert, now, follow=follow)


def overdue(session: Session, config: Config, now: datetime) -> list[str]:
    """The heartbeats silent past `every + grace` at `now` with no miss open yet."""
    return [
        s.name for s in statuses(session, config, now) if s.state == "missing" and s.missing_since is None
    ]


def open_miss(
    session: Session,
    config: Config,
    name: str,
    now: datetime,
    follow: FollowUps,
    *,
    hold: HoldLookup | None = None,
) -> int | None:
    """Claim the miss of heartbeat `name` and open its alert; the alert id, or None if not claimed.

    The claim is one UPDATE whose WHERE re-checks "no miss open, no beat since the deadline", so
    of two instances (or a beat arriving meanwhile) exactly one changes the row.
    """
    heartbeat = config.heartbeats[name]
    deadline = now - heartbeat.allowed_silence
    claimed = session.execute(
        update(HeartbeatState)
        .where(
            HeartbeatState.name == name,
            HeartbeatState.missing_since.is_(None),
            func.coalesce(HeartbeatState.last_beat_at, HeartbeatState.started_at) <= deadline,
        )
        .values(missing_since=now, misses=HeartbeatState.misses + 1),
        execution_options={"synchronize_session": False},
    )
    if claimed.rowcount != 1:
        return None
    alert_id = _open_alert(session, config, heartbeat, now, follow=follow, hold=hold)
    session.execute(
        update(HeartbeatState).where(HeartbeatState.name == name).values(missing_alert_id=alert_id),
        execution_options={"synchronize_session": False},
    )
    return alert_id


def _open_alert(
    session: Session,
    config: Config,
    heartbeat: Heartbeat,
    now: datetime,
    *,
    follow: FollowUps,
    hold: HoldLookup | None,
) -> int:
    """The "missing" alert, stored as any alert is but routed to the heartbeat's escalation only;
    a maintenance window matching its labels (`heartbeat: NAME`) holds it like any alert."""
    every, grace = format_duration(heartbeat.every), format_duration(heartbeat.grace)
    alert = IncomingAlert(
        source=SOURCE,
        dedup_key=f"{heartbeat.key}@{now.isoformat()}",
        status="firing",
        labels={"alertname": MISSING_ALERTNAME, "heartbeat": heartbeat.key},
        summary=heartbeat.summary or f"Heartbeat {heartbeat.key} missing",
        details=f"No beat for {format_duration(heartbeat.allowed_silence)} (every {every} + grace {grace}).",
        rule=f"heartbeat/{heartbeat.key}",
        severity=heartbeat.severity,
    )
    own_route = replace(config, routes=(Route(heartbeat.escalation),))
    result = ingest(session, own_route, [alert], now, None, follow=follow, hold=hold)
    return result.created[0]
