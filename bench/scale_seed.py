"""Fast seeding for the scale curves: bulk INSERTs straight into a migrated SQLite file.

    url = migrated_sqlite(folder / "oncall.db")
    seed_alerts(url, 100_000)                  # resolved alerts, received over the last 25 days
    seed_alerts(url, 250_000, timeline=True)   # plus a page and an acknowledgement each

Rows go in with the standard library's sqlite3 in one transaction (executemany over a
generator), not through the API: a million alerts take seconds, not the hour the service would
spend routing and paging them. Every row is a resolved episode, as most of a real table is.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from oncall.db import Database
from oncall.migrate import upgrade

SPAN = timedelta(days=25)  # inside the auditor's default 30-day window
RULES = 300
EVENTS_PER_ALERT = 4  # the auditor sees fired + resolved from the row, paged + acked from the timeline
_ALERT_COLUMNS = (
    "id, source, dedup_key, open_key, rule, status, severity, base_severity, severity_reason, summary,"
    " details, labels, annotations, runbook_url, policy, started_at, received_at, last_seen_at,"
    " acked_at, acked_by, resolved_at, resolved_by"
)
_EVENT_COLUMNS = "alert_id, at, kind, person, channel, detail"


def migrated_sqlite(path: Path) -> str:
    """A SQLite file at `path` with every migration applied; its URL."""
    url = f"sqlite:///{path}"
    database = Database(url)
    try:
        upgrade(database)
    finally:
        database.engine.dispose()
    return url


def _stamp(at: datetime) -> str:
    """How SQLAlchemy stores a UTC datetime in SQLite (naive, microseconds)."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def _alert_rows(first: int, count: int, now: datetime) -> Iterator[tuple]:
    step = SPAN / max(count, 1)
    for n in range(first, first + count):
        received = now - SPAN + step * (n - first)
        rule = f"Rule{n % RULES:03d}"
        labels = json.dumps({"alertname": rule, "team": "payments", "instance": f"host-{n % 97}"})
        yield (
            n, "alertmanager", f"seed-{n}", None, rule, "resolved", "SEV-2", "SEV-2", "", f"{rule} fired",
            "", labels, "{}", None, "payments", _stamp(received), _stamp(received), _stamp(received),
            _stamp(received + timedelta(seconds=40)), "kim", _stamp(received + timedelta(minutes=9)), "source",
        )  # fmt: skip


def _event_rows(first: int, count: int, now: datetime) -> Iterator[tuple]:
    step = SPAN / max(count, 1)
    for n in range(first, first + count):
        received = now - SPAN + step * (n - first)
        yield n, _stamp(received + timedelta(seconds=1)), "notified", "kim", "sms", "level 1"
        yield n, _stamp(received + timedelta(seconds=40)), "acknowledged", "kim", None, ""


def seed_alerts(url: str, count: int, *, timeline: bool = False, now: datetime | None = None) -> float:
    """Add `count` resolved alerts after the highest id (and their timelines); seconds it took."""
    now = now or datetime.now(UTC)
    began = time.perf_counter()
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=60)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            first = (connection.execute("SELECT max(id) FROM alerts").fetchone()[0] or 0) + 1
            marks = ", ".join("?" * len(_ALERT_COLUMNS.split(",")))
            connection.executemany(
                f"INSERT INTO alerts ({_ALERT_COLUMNS}) VALUES ({marks})", _alert_rows(first, count, now)
            )
            if timeline:
                connection.executemany(
                    f"INSERT INTO alert_events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                    _event_rows(first, count, now),
                )
        # fold the WAL back into the file, as SQLite's automatic checkpoints do over time: readers
        # would otherwise look through a WAL of a million rows until the service's next checkpoint
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return time.perf_counter() - began


def count_rows(url: str, table: str) -> int:
    """Rows in `table` of the SQLite file at `url`."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (a fixed name)
    finally:
        connection.close()
