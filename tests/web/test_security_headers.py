"""Every response carries the security headers: a CSP without inline script, no framing, etc."""

from __future__ import annotations

import pytest

from tests.ui import conftest as ui_fixtures
from tests.ui.conftest import fire

# The UI's fixtures: people with logins, and a client signed in as Kim.
logins = ui_fixtures.logins
signed_in = ui_fixtures.signed_in


def directives(policy: str) -> dict[str, str]:
    """`"default-src 'self'; object-src 'none'"` -> {"default-src": "'self'", ...}."""
    parts = (d.strip().split(None, 1) for d in policy.split(";") if d.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/", id="Now page"),
        pytest.param("/login", id="sign-in page"),
        pytest.param("/alerts/{id}", id="alert page"),
        pytest.param("/schedule/payments", id="schedule page"),
        pytest.param("/no-such-page", id="HTML 404"),
        pytest.param("/api/v1/alerts/{id}", id="API JSON"),
        pytest.param("/calendar/wrong-token.ics", id="calendar 404"),
        pytest.param("/healthz", id="health check"),
    ],
)
def test_every_response_carries_the_security_headers(client, auth, path):
    alert_id = fire(client, auth, "DiskFull")
    answer = client.get(path.format(id=alert_id), headers=auth)
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    policy = directives(answer.headers["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in answer.headers["Content-Security-Policy"]


def test_the_pages_have_no_inline_script_or_style(signed_in, auth):
    alert_id = fire(signed_in, auth, "DiskFull")
    for path in ("/", "/alerts", f"/alerts/{alert_id}", "/schedule/payments", "/outbox", "/config"):
        page = signed_in.get(path).get_data(as_text=True).lower()
        assert "<script" not in page and "<style" not in page and " style=" not in page, path
        assert " onclick=" not in page and " onload=" not in page, path
