"""/readyz fails while the database is unreachable and recovers when it is back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy


@pytest.fixture
def database_outage(services, postgres_admin) -> Callable[[], AbstractContextManager[None]]:
    """A context manager during which the service's database cannot be reached.

    SQLite: the file is moved away and a directory put in its place. PostgreSQL: the database
    refuses new connections and its open ones are ended.
    """
    url = services.settings.database_url

    @contextmanager
    def sqlite_outage() -> Iterator[None]:
        path = Path(url.removeprefix("sqlite:///"))
        moved = path.with_suffix(".away")
        services.db.engine.dispose()  # pooled connections would keep the old file open
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
        assert down.json["checks"]["database"].startswith("unreachable")
    up = client.get("/readyz")
    assert up.status_code == 200, up.json
    assert up.json["checks"]["database"] == "ok"


def test_healthz_answers_even_while_the_database_is_gone(client, services, database_outage):
    with database_outage():
        assert client.get("/healthz").status_code == 200
        with pytest.raises(sqlalchemy.exc.OperationalError):
            with services.db.engine.connect() as conn:
                conn.execute(sqlalchemy.text("SELECT 1"))
