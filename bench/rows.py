"""What every real-path bench row reports, the run sizes, and small helpers the rows share."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text

from oncall.db import make_engine
from tests.integration.payloads import am_alert, am_payload

ALERTMANAGER = "/api/v1/alerts/alertmanager"


@dataclass(frozen=True)
class Sizes:
    """How much work each row does: `FULL` for `make bench`, `QUICK` for `make bench-quick`."""

    ingest_posts: int = 50  # POSTs of `per_post` new alerts, then the same again (repeats)
    per_post: int = 100
    noop_requests: int = 500  # closed-loop GET /healthz beside the ingest rows
    paging_rate: float = 50.0  # alerts/s for webhook -> SMS
    paging_seconds: float = 20.0
    lag_open: int = 10_000  # held open alerts stored before the lag is measured
    lag_rate: float = 20.0
    lag_seconds: float = 30.0
    lag_after: int = 3  # seconds until level 2 falls due
    storm_alerts: int = 10_000
    storm_seconds: float = 50.0  # the alerts arrive over this long (≤ 60)
    storm_watch: float = 75.0  # pages are counted this long from the first POST
    idle_seconds: float = 10.0
    grace_seconds: float = 15.0  # for the last pages to arrive
    noop_seconds: float = 5.0  # how long a paced no-op run lasts at the row's rate


FULL = Sizes()
QUICK = Sizes(
    ingest_posts=10,
    noop_requests=200,
    paging_seconds=4,
    lag_open=1_000,
    lag_seconds=3,
    lag_after=2,
    storm_alerts=1_000,
    storm_seconds=4,
    storm_watch=5,
    idle_seconds=2,
    grace_seconds=8,
    noop_seconds=2,
)


@dataclass
class Row:
    """One measured row: the figure, the no-op beside it, their ratio, and whether the target is met."""

    name: str
    target: str
    figure: float
    unit: str
    noop: float
    noop_unit: str
    ratio: float  # what it means is in `ratio_means`
    ratio_means: str
    met: bool
    database: str = "SQLite"
    instances: int = 1
    test_client: float | None = None  # the same figure through Flask's test client, engine off
    note: str = ""
    details: dict = field(default_factory=dict)
    load_average: float = field(default_factory=lambda: os.getloadavg()[0])


def now_iso() -> str:
    """Now in UTC as Alertmanager writes startsAt."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def ingest_body(first: int, count: int, starts_at: str) -> dict:
    """`count` distinct SEV-1 alerts for the demo team (the shape bench/ingest.py posts)."""
    alerts = [
        am_alert(f"Bench{n % 20}", starts_at=starts_at, instance=f"host-{n}")
        for n in range(first, first + count)
    ]
    return am_payload(alerts)


def scalar(database_url: str, sql: str) -> int:
    """One number from the service's database (SQLite file or PostgreSQL)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def escalation_starts(database_url: str) -> dict[int, float]:
    """Each alert's escalation start (epoch seconds), from the service's database."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT alert_id, started_at FROM escalations")).all()
    finally:
        engine.dispose()
    starts = {}
    for alert_id, value in found:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        starts[alert_id] = (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()
    return starts


def wait_for(predicate, seconds: float, interval: float = 0.05) -> bool:
    """Poll `predicate` for up to `seconds`; whether it came true (a bench reports, never asserts)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
