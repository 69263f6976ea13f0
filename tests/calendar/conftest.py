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
from oncall.db import Base
from oncall.runtime import Runtime, build_runtime
from oncall.settings import Settings
from oncall.web.context import install_runtime


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START + timedelta(days=2))


@pytest.fixture
def store() -> Store:
    return Store(seed_config())


@pytest.fixture
def runtime(database_url, clock, store) -> Runtime:
    settings = Settings(public_url=PUBLIC_URL, database_url=database_url)
    runtime = build_runtime(settings, clock=clock, config_store=store, migrate=False)
    Base.metadata.create_all(runtime.db.engine)
    yield runtime
    runtime.close()


@pytest.fixture
def app(runtime) -> Flask:
    app = Flask(__name__)
    install_runtime(app, runtime)
    app.register_blueprint(bp)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token_for(runtime):
    """Issue a live token for `person:kim`-style names."""

    def issue(name: str) -> str:
        kind, key = name.split(":")
        with runtime.db.session() as session:
            return issue_token(session, FeedSubject(kind, key), runtime.clock.now())

    return issue
