"""Incidents against a real (migrated) database, the demo configuration and a clock the test moves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from oncall import migrate
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import Config
from oncall.configfile.loader import load_config
from oncall.db import Database
from tests.conftest import DEMO_CONFIG
from tests.conversations.conftest import runtime, talk  # noqa: F401 (the served service on the fake Twilio)


@pytest.fixture
def config() -> Config:
    return load_config(DEMO_CONFIG)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    migrate.ensure_current(database)
    yield database
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as session:
        yield session


def add_alert(
    session: Session,
    at: datetime,
    *,
    rule: str = "HighErrorRate",
    labels: dict | None = None,
    policy: str = "payments",
) -> Alert:
    """An alert that fired at `at`, with its `received` timeline line, as intake stores one."""
    alert = Alert(
        source="api",
        dedup_key=f"{rule}-{at.isoformat()}",
        open_key=None,
        rule=rule,
        status="triggered",
        severity="SEV-1",
        base_severity="SEV-1",
        summary="error rate 45%",
        labels=json.dumps(labels if labels is not None else {"team": "payments"}),
        policy=policy,
        started_at=at,
        received_at=at,
        last_seen_at=at,
    )
    session.add(alert)
    session.flush()
    session.add(AlertEvent(alert_id=alert.id, at=at, kind="received", detail="error rate 45%"))
    session.flush()
    return alert
