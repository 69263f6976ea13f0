"""Calendar feed tokens and `token=` values never reach a log line: access log or application log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from oncall.calendar.events import FeedSubject
from oncall.calendar.tokens import rotate_token
from oncall.db import Database
from oncall.log_redaction import SecretRedactingFilter, redact_secrets
from oncall.logs import configure_logging
from tests.fakes.waiting import wait_until
from tests.integration.configs import demo_config
from tests.integration.launcher import Launcher, LoopbackTwilio


@pytest.mark.parametrize(
    "line, expected",
    [
        pytest.param(
            '127.0.0.1 - - "GET /calendar/Ab_c-9.ics HTTP/1.1" 200',
            '127.0.0.1 - - "GET /calendar/[redacted].ics HTTP/1.1" 200',
            id="access log request line",
        ),
        pytest.param("GET /calendar/Ab_c-9 HTTP/1.1", "GET /calendar/[redacted] HTTP/1.1", id="no .ics"),
        pytest.param(
            '"webcal://oncall.example/calendar/Ab_c-9.ics"',
            '"webcal://oncall.example/calendar/[redacted].ics"',
            id="webcal URL in a Referer",
        ),
        pytest.param("GET /x?token=s3cr3t&y=1", "GET /x?token=[redacted]&y=1", id="token= query"),
        pytest.param("GET /x?access_token=s3cr3t", "GET /x?access_token=[redacted]", id="access_token="),
        pytest.param("GET /x?TOKEN=s3cr3t", "GET /x?TOKEN=[redacted]", id="upper case"),
        pytest.param("GET /alerts/3 HTTP/1.1", "GET /alerts/3 HTTP/1.1", id="nothing secret"),
    ],
)
def test_redact_secrets(line, expected):
    assert redact_secrets(line) == expected


def test_the_application_handler_redacts_messages_args_and_tracebacks():
    configure_logging("text")
    root = logging.getLogger()
    handler = next(h for h in root.handlers if getattr(h, "_oncall", False))
    assert any(isinstance(f, SecretRedactingFilter) for f in handler.filters)
    stream = io.StringIO()
    probe = logging.StreamHandler(stream)
    for f in handler.filters:
        probe.addFilter(f)
    probe.setFormatter(handler.formatter)
    log = logging.getLogger("tests.redaction")
    log.addHandler(probe)
    try:
        log.warning("feed %s fetched", "/calendar/s3cr3t-feed.ics")
        try:
            raise LookupError("no feed /calendar/s3cr3t-feed.ics?token=s3cr3t-too")
        except LookupError:
            log.exception("lookup failed")
    finally:
        log.removeHandler(probe)
    text = stream.getvalue()
    assert "s3cr3t" not in text
    assert "feed /calendar/[redacted].ics fetched" in text and "LookupError" in text


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The served process (gunicorn, one worker) on a fresh database."""
    with LoopbackTwilio() as fake:
        launcher = Launcher(tmp_path_factory.mktemp("logs"), fake)
        try:
            yield launcher(demo_config())
        finally:
            launcher.close()


def feed_token(database_url: str) -> str:
    database = Database(database_url)
    try:
        with database.session() as session:
            return rotate_token(session, FeedSubject("rotation", "payments"), datetime.now(UTC))
    finally:
        database.dispose()


def test_the_served_process_logs_no_feed_token(served):
    token = feed_token(served.database_url)
    base = served.service.url
    assert requests.get(f"{base}/calendar/{token}.ics", timeout=10).status_code == 200
    referer = {"Referer": f"webcal://oncall.example/calendar/{token}.ics"}
    assert requests.get(f"{base}/healthz?token={token}", headers=referer, timeout=10).status_code == 200
    assert requests.get(f"{base}/calendar/not-{token}.ics", timeout=10).status_code == 404

    # gunicorn writes an access line after the answer: wait for the last request's line.
    wait_until(
        lambda: served.service.access_log_count("GET /calendar/[redacted].ics") == 2,
        timeout=10,
        what="both feed requests in the access log",
    )
    log = served.service.log_text()
    assert token not in log
    assert served.service.access_log_count("GET /healthz?token=[redacted]") == 1
