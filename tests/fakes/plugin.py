"""pytest fixtures around the fakes. Enable in a conftest with
`pytest_plugins = ["tests.fakes.plugin"]` (root conftest) or import the fixture by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.twilio_server import FakeTwilio


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A started FakeTwilio; call `fake_twilio.connect(public_url, service_url)` once the
    service under test listens, so webhooks reach it."""
    with FakeTwilio() as fake:
        yield fake
