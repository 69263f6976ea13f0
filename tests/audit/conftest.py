"""Fixtures for the auditor tests: a database with the auditor's tables and a fake clock."""

from __future__ import annotations

import sys
from pathlib import Path

# Without a project-wide `pythonpath` setting pytest puts only this folder on sys.path.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import pytest  # noqa: E402
from audit_builders import NOW  # noqa: E402

import alertaudit.models  # noqa: E402, F401  (registers the tables on Base)
from oncall.clock import FakeClock  # noqa: E402
from oncall.db import Base, Database  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def db(database_url) -> Database:
    database = Database(database_url)
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()
