"""/readyz fails while the database is unreachable and recovers when it is back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy


@pytest.fixture
def sqlite_file(services) -> Path:
    url = services.settings.database_url
    if not url.startswith("sqlite:///"):
        pytest.skip("moves the SQLite file; PostgreSQL runs are covered by the integration suite")
    return Path(url.removeprefix("sqlite:///"))


def test_readyz_is_ready_on_a_healthy_service(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"


def test_readyz_fails_while_the_database_is_gone_and_recovers(client, services, sqlite_file: Path):
    moved = sqlite_file.with_suffix(".away")
    services.db.engine.dispose()  # pooled connections would keep the old file open
    os.replace(sqlite_file, moved)
    sqlite_file.mkdir()  # a directory where the file was: SQLite cannot open (or recreate) it
    try:
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json["status"] == "not ready"
        assert down.json["checks"]["database"].startswith("unreachable")
    finally:
        sqlite_file.rmdir()
        os.replace(moved, sqlite_file)
    up = client.get("/readyz")
    assert up.status_code == 200, up.json
    assert up.json["checks"]["database"] == "ok"


def test_healthz_answers_even_while_the_database_is_gone(client, services, sqlite_file: Path):
    services.db.engine.dispose()
    moved = sqlite_file.with_suffix(".away")
    os.replace(sqlite_file, moved)
    sqlite_file.mkdir()
    try:
        assert client.get("/healthz").status_code == 200
        with pytest.raises(sqlalchemy.exc.OperationalError):
            with services.db.engine.connect() as conn:
                conn.execute(sqlalchemy.text("SELECT 1"))
    finally:
        sqlite_file.rmdir()
        os.replace(moved, sqlite_file)
