"""Fixtures shared by every test folder: a service on a temp database with a controllable clock."""

from __future__ import annotations

import dataclasses
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from sqlalchemy import MetaData

from oncall.app import create_app
from oncall.clock import FakeClock
from oncall.db import Database
from oncall.runtime import Runtime, build_runtime
from oncall.settings import ROOT, Settings
from oncall.tokens.service import create_token
from tests.fakes.notifiers import RecordingNotifier

pytest_plugins = ["tests.fakes.plugin"]

DEMO_CONFIG = ROOT / "config" / "oncall.yaml"
# Tuesday 2026-03-03 02:00 UTC = 11:00 KST: Kim's first week, inside business hours.
MONDAY_KIM = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def need_component(name: str, how: str) -> None:
    """A real component is missing: fail in CI (it must run there), skip elsewhere with the fix."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but missing: {how}")
    pytest.skip(f"{name} not available; to run this test: {how}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_KIM)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """A private copy of the demo configuration that a test may edit."""
    path = tmp_path / "oncall.yaml"
    shutil.copy(DEMO_CONFIG, path)
    (tmp_path / "config").mkdir()
    return path


TEST_DATABASE_ENV = "ONCALL_TEST_DATABASE_URL"


def on_postgres() -> bool:
    """True when this run's tests use PostgreSQL (ONCALL_TEST_DATABASE_URL names a server)."""
    return os.environ.get(TEST_DATABASE_ENV, "").startswith(("postgresql://", "postgresql+psycopg://"))


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[psycopg.Connection | None]:
    """One autocommit connection to the test server for the whole run (None on SQLite)."""
    if not on_postgres():
        yield None
        return
    url = os.environ[TEST_DATABASE_ENV].replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as admin:
        yield admin


@pytest.fixture
def database_url(tmp_path: Path, postgres_admin: psycopg.Connection | None) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, or a new PostgreSQL database.

    With ONCALL_TEST_DATABASE_URL=postgresql://... each test gets `CREATE DATABASE oncall_t_<hex>`
    on that server, dropped afterwards. A database per test rather than a schema per test: about
    50 ms slower each, but the service runs in `public` exactly as in production.
    """
    if postgres_admin is None:
        yield os.environ.get(TEST_DATABASE_ENV) or f"sqlite:///{tmp_path / 'oncall.db'}"
        return
    name = f"oncall_t_{secrets.token_hex(6)}"
    postgres_admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(os.environ[TEST_DATABASE_ENV])
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    finally:
        # FORCE: a connection a test left open (a subprocess, an engine not disposed) must not
        # keep the database, and so the server's disk, alive.
        postgres_admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_text(database_url: str) -> str:
    """Every row of every table in the database as text: to check that a secret is not in it.

    Works on SQLite and PostgreSQL alike (reflection, not SQLite's file bytes or `iterdump`).
    """
    database = Database(database_url)
    try:
        tables = MetaData()
        tables.reflect(database.engine)
        with database.engine.connect() as connection:
            rows = [
                repr(tuple(row))
                for table in tables.sorted_tables
                for row in connection.execute(table.select())
            ]
    finally:
        database.dispose()
    return "\n".join(rows)


@pytest.fixture
def settings(database_url: str, config_path: Path) -> Settings:
    return Settings(
        config_path=str(config_path),
        database_url=database_url,
        public_url="http://127.0.0.1:8080",
        engine_enabled=False,
        secret_key="test-secret",
    )


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def runtime(settings: Settings, clock: FakeClock, notifier: RecordingNotifier) -> Iterator[Runtime]:
    """The service as `build_runtime` assembles it for the server and the CLI, paging `notifier`."""
    runtime = build_runtime(settings, clock=clock, notifier=notifier)
    yield runtime
    runtime.close()


def with_settings(runtime: Runtime, **changes) -> Runtime:
    """The same runtime (database, engine, events) read with some settings changed."""
    return dataclasses.replace(runtime, settings=dataclasses.replace(runtime.settings, **changes))


@pytest.fixture
def app(runtime):
    return create_app(runtime=runtime, start_background=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(runtime) -> str:
    with runtime.db.session() as session:
        return create_token(session, "tests", runtime.clock.now())


@pytest.fixture
def auth(token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
