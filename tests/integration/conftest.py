"""Fixtures for integration tests: the real service in a subprocess, the fake Twilio on loopback.

    def test_something(launch):
        running = launch(demo_config(Timing(level2_after=3)))   # token, fake Twilio, ready service
        running.api.fire("HighErrorRate")
        running.fake.expect_sms(PHONE["kim"], "HighErrorRate")

Everything a test starts is stopped by the fixture's finalizer, also when the test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.twilio_server import FakeTwilio
from tests.integration.launcher import Launcher, LoopbackTwilio


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with LoopbackTwilio() as fake:
        yield fake


@pytest.fixture
def launch(tmp_path: Path, fake_twilio: FakeTwilio) -> Iterator[Launcher]:
    """Start services for one test (see Launcher); all stopped when the test ends."""
    launcher = Launcher(tmp_path, fake_twilio)
    yield launcher
    launcher.close()


@pytest.fixture(scope="module")
def module_launch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    """Like `launch`, for a service a whole module shares (tests that leave no trace)."""
    with LoopbackTwilio() as fake:
        launcher = Launcher(tmp_path_factory.mktemp("service"), fake)
        yield launcher
        launcher.close()
