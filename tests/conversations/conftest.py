"""The service served on 127.0.0.1 in this process, paging through the real Twilio SDK into the
fake Twilio, on the controllable clock of tests/conftest.py (Tuesday 11:00 in Seoul, Kim on call)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from oncall.app import create_app
from oncall.paging.twilio_provider import TwilioNotifier
from oncall.runtime import Runtime, build_runtime
from oncall.tokens.service import create_token
from tests.conversations.phone import Conversation
from tests.fakes.twilio_server import FakeTwilio

PUBLIC_URL = "https://oncall.example.test"  # what Twilio signs for; requests go to the real port


@pytest.fixture
def runtime(settings, clock, fake_twilio: FakeTwilio) -> Iterator[Runtime]:
    """The runtime as the server builds it, with Twilio credentials of the fake."""
    twilio = dataclasses.replace(
        settings,
        public_url=PUBLIC_URL,
        twilio_account_sid=fake_twilio.account_sid,
        twilio_auth_token=fake_twilio.auth_token,
        twilio_from_number=fake_twilio.phone_number,
        twilio_api_url=fake_twilio.base_url,
    )
    notifier = TwilioNotifier(
        fake_twilio.account_sid,
        fake_twilio.auth_token,
        fake_twilio.phone_number,
        api_url=fake_twilio.base_url,
        timeout=2,
    )
    runtime = build_runtime(twilio, clock=clock, notifier=notifier)
    yield runtime
    runtime.close()


@pytest.fixture
def talk(runtime: Runtime, clock, fake_twilio: FakeTwilio) -> Iterator[Conversation]:
    app = create_app(runtime=runtime, start_background=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake_twilio.connect(PUBLIC_URL, f"http://127.0.0.1:{server.server_port}")
    with runtime.db.session() as session:
        token = create_token(session, "conversations", clock.now())
    try:
        yield Conversation(
            fake=fake_twilio,
            runtime=runtime,
            clock=clock,
            client=app.test_client(),
            auth={"Authorization": f"Bearer {token}"},
        )
    finally:
        server.shutdown()
        server.server_close()
