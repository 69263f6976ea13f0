"""Fixtures for the paging tests: the fake Twilio and a webhook receiver on loopback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Until the repository's pytest configuration puts the root on sys.path (pythonpath = ["."]),
# make `oncall` and `tests.fakes` importable when pytest runs from the virtualenv's script.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.fakes.plugin import fake_twilio  # noqa: E402, F401 - a fixture, used by name
from tests.fakes.receiver import WebhookReceiver  # noqa: E402


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """The service's webhook side, listening on 127.0.0.1."""
    with WebhookReceiver() as server:
        yield server
