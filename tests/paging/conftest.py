"""Fixtures for the paging tests: the fake Twilio and a webhook receiver on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.receiver import WebhookReceiver


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """The service's webhook side, listening on 127.0.0.1."""
    with WebhookReceiver() as server:
        yield server
