"""Fixtures for the calendar feed tests: a small Flask app, a database, a fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from calendar_builders import PUBLIC_URL, START, Store, seed_config
from flask import Flask

from oncall.calendar.events import FeedSubject
from oncall.calendar.tokens import issue_token
from oncall.calendar.views import bp
from oncall.clock import FakeClock
from oncall.db import Base, Database
from oncall.services import Services
from oncall.settings import Settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START + timedelta(days=2))


@pytest.fixture
def store() -> Store:
    return Store(seed_config())


@pytest.fixture
def services(database_url, clock, store) -> Services:
    db = Database(database_url)
    Base.metadata.create_all(db.engine)
    yield Services(Settings(public_url=PUBLIC_URL), db, clock, store)
    db.dispose()


@pytest.fixture
def app(services) -> Flask:
    app = Flask(__name__)
    app.extensions["oncall"] = services
    app.register_blueprint(bp)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token_for(services):
    """Issue a live token for `person:kim`-style names."""

    def issue(name: str) -> str:
        kind, key = name.split(":")
        with services.db.session() as session:
            return issue_token(session, FeedSubject(kind, key), services.clock.now())

    return issue
