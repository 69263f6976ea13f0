"""Fixtures shared by every test folder: a service on a temp database with a controllable clock."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oncall.app import build_services, create_app
from oncall.clock import FakeClock
from oncall.paging.providers import RecordingNotifier
from oncall.settings import ROOT, Settings
from oncall.tokens.service import create_token

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


@pytest.fixture
def settings(tmp_path: Path, config_path: Path) -> Settings:
    return Settings(
        config_path=str(config_path),
        database_url=os.environ.get("ONCALL_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'oncall.db'}",
        public_url="http://127.0.0.1:8080",
        engine_enabled=False,
        secret_key="test-secret",
    )


@pytest.fixture
def services(settings: Settings, clock: FakeClock):
    services = build_services(settings, clock)
    yield services
    services.db.dispose()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def app(services, notifier):
    return create_app(services=services, notifier=notifier, start_background=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(services) -> str:
    with services.db.session() as session:
        return create_token(session, "tests", services.clock.now())


@pytest.fixture
def auth(token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
