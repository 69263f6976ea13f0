"""`audit import FILE`: store an alert history so a team gets its report on day one.

Events are stored in `audit_events` with a content hash, so importing the same file twice
(or two overlapping exports) stores each event once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

from sqlalchemy import func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alertaudit.events import AlertEvent, event_to_dict
from alertaudit.models import ImportedEvent

BATCH = 5000


def _row(event: AlertEvent, source: str | None = None) -> dict:
    plain = event_to_dict(event)
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return {
        "dedup": digest,
        "at": event.at,
        "kind": event.kind,
        "rule": event.rule,
        "episode": event.episode,
        "person": event.person,
        "channel": event.channel,
        "labels": event.labels,
        "severity": event.severity,
        "value": event.value,
        "timezone": event.timezone,
        "level": event.level,
        "last": event.last,
        "source": source,
    }


def _insert_ignoring_duplicates(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        statement = sqlite.insert(ImportedEvent)
    elif dialect == "postgresql":
        statement = postgresql.insert(ImportedEvent)
    else:  # only SQLite and PostgreSQL are supported; a plain insert fails on duplicates
        return insert(ImportedEvent)
    return statement.on_conflict_do_nothing(index_elements=["dedup"])


def import_events(
    session: Session, events: Iterable[AlertEvent], source: str | None = None
) -> tuple[int, int]:
    """Store events in batches, marked with where they came from; returns (read, newly stored)."""
    statement = _insert_ignoring_duplicates(session)
    before = session.scalar(select(func.count()).select_from(ImportedEvent)) or 0
    read = 0
    iterator = iter(events)
    while batch := [_row(event, source) for event in islice(iterator, BATCH)]:
        read += len(batch)
        session.execute(statement, batch)
    after = session.scalar(select(func.count()).select_from(ImportedEvent)) or 0
    return read, after - before


def stored_events(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    without_source: str | None = None,
) -> Iterator[AlertEvent]:
    """Imported events with `since <= at < until`, oldest first, streamed; `without_source`
    leaves out the events of that source (e.g. the demo's "sample" once real history exists)."""
    query = select(ImportedEvent).order_by(ImportedEvent.at, ImportedEvent.id)
    if without_source is not None:
        query = query.where(or_(ImportedEvent.source.is_(None), ImportedEvent.source != without_source))
    if since is not None:
        query = query.where(ImportedEvent.at >= since)
    if until is not None:
        query = query.where(ImportedEvent.at < until)
    for row in session.scalars(query.execution_options(yield_per=BATCH)):
        at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC)
        yield AlertEvent(
            at=at,
            kind=row.kind,
            rule=row.rule,
            episode=row.episode,
            person=row.person,
            channel=row.channel,
            labels=row.labels,
            severity=row.severity,
            value=row.value,
            timezone=row.timezone,
            level=row.level,
            last=bool(row.last),
        )
