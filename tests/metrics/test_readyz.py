"""/readyz: ready while the database takes a write and the engine makes progress; recovers by itself."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy

from oncall.app import create_app
from oncall.db_probe import PROBE_TIMEOUT
from oncall.runtime import build_runtime
from oncall.web.health import ENGINE_STALE_SECONDS


@pytest.fixture
def database_outage(runtime, postgres_admin) -> Callable[[], AbstractContextManager[None]]:
    """A context manager during which the service's database cannot be reached.

    SQLite: the file is moved away and a directory put in its place. PostgreSQL: the database
    refuses new connections and its open ones are ended.
    """
    url = runtime.settings.database_url

    @contextmanager
    def sqlite_outage() -> Iterator[None]:
        path = Path(url.removeprefix("sqlite:///"))
        moved = path.with_suffix(".away")
        runtime.db.engine.dispose()  # pooled connections would keep the old file open
        os.replace(path, moved)
        path.mkdir()  # a directory where the file was: SQLite cannot open (or recreate) it
        try:
            yield
        finally:
            path.rmdir()
            os.replace(moved, path)

    @contextmanager
    def postgres_outage() -> Iterator[None]:
        name = urlsplit(url).path.lstrip("/")
        postgres_admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        postgres_admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            postgres_admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    return postgres_outage if postgres_admin is not None else sqlite_outage


def test_readyz_is_ready_on_a_healthy_service(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"


def test_readyz_fails_while_the_database_is_gone_and_recovers(client, database_outage):
    with database_outage():
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json["status"] == "not ready"
        assert down.json["checks"]["database"].startswith("not writable")
    up = client.get("/readyz")
    assert up.status_code == 200, up.json
    assert up.json["checks"]["database"] == "ok"


def test_healthz_answers_even_while_the_database_is_gone(client, runtime, database_outage):
    with database_outage():
        assert client.get("/healthz").status_code == 200
        with pytest.raises(sqlalchemy.exc.OperationalError):
            with runtime.db.engine.connect() as conn:
                conn.execute(sqlalchemy.text("SELECT 1"))


def test_readyz_is_not_ready_while_another_writer_holds_the_sqlite_lock(client, runtime, postgres_admin):
    if postgres_admin is not None:
        pytest.skip("SQLite's write lock; PostgreSQL's read-only case is the next test")
    holder = sqlite3.connect(runtime.settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        down = client.get("/readyz")
        assert time.monotonic() - started < PROBE_TIMEOUT + 1.5, "the probe must not hang"
        assert down.status_code == 503
        assert down.json["checks"]["database"] == "not writable: locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.get("/readyz").status_code == 200


def test_readyz_is_not_ready_while_postgres_refuses_writes(client, runtime, postgres_admin):
    if postgres_admin is None:
        pytest.skip("PostgreSQL only: runs in make test-postgres")
    name = urlsplit(runtime.settings.database_url).path.lstrip("/")
    postgres_admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json["checks"]["database"] == "not writable: read-only"
    finally:
        postgres_admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    assert client.get("/readyz").status_code == 200


def read_only_session(runtime) -> str:
    """SQL that leaves a connection unable to write, as SQLite leaves one opened on a read-only file."""
    if runtime.db.is_postgres:
        return "SET SESSION default_transaction_read_only = on"
    return "PRAGMA query_only = ON"


def test_a_pooled_connection_that_cannot_write_is_replaced_not_handed_out_again(client, auth, runtime):
    with runtime.db.engine.connect() as conn:
        conn.exec_driver_sql(read_only_session(runtime))
        conn.commit()
    # That connection is back in the pool; the next request gets it, fails, and throws it away.
    alert = {"rule": "DiskFull", "severity": "critical", "labels": {"team": "payments"}}
    refused = client.post("/api/v1/alerts", json=alert, headers=auth)
    assert refused.status_code == 503
    accepted = client.post("/api/v1/alerts", json=alert, headers=auth)
    assert accepted.status_code == 201, accepted.json
    assert client.get("/readyz").status_code == 200


@pytest.fixture
def engine_client(settings, clock, notifier) -> Iterator:
    """An app whose settings say the engine runs (the test drives its ticks by hand)."""
    runtime = build_runtime(replace(settings, engine_enabled=True), clock=clock, notifier=notifier)
    app = create_app(runtime=runtime, start_background=False)
    yield app.test_client(), runtime.engine
    runtime.close()


def test_readyz_needs_engine_progress_within_10_seconds(engine_client):
    client, engine = engine_client
    assert client.get("/readyz").json["checks"]["engine"] == "stalled"  # never ticked yet
    engine.tick()
    assert client.get("/readyz").status_code == 200
    engine.last_progress = time.monotonic() - ENGINE_STALE_SECONDS - 1
    stalled = client.get("/readyz")
    assert stalled.status_code == 503
    assert stalled.json["checks"] == {"database": "ok", "engine": "stalled"}
