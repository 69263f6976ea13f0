"""Fixtures for the web UI: a person with a login, a signed-in client, an alert to act on."""

from __future__ import annotations

import re

import pytest

from oncall.ui.auth import create_user

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match[1]


def sign_in(client, person: str = "kim", password: str = PASSWORD):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"person": person, "password": password, "csrf_token": token})


@pytest.fixture
def logins(runtime):
    """Kim and Lee can sign in with PASSWORD."""
    with runtime.db.session() as session:
        for person in ("kim", "lee"):
            create_user(session, person, PASSWORD, runtime.clock.now())


@pytest.fixture
def signed_in(client, logins):
    """The test client, signed in as Kim."""
    assert sign_in(client).status_code == 302
    return client


def fire(client, auth, rule: str, severity: str = "critical", summary: str = "") -> int:
    """Send one alert through the API; returns its id."""
    answer = client.post(
        "/api/v1/alerts",
        json={"rule": rule, "severity": severity, "summary": summary, "labels": {"team": "payments"}},
        headers=auth,
    )
    assert answer.status_code == 201, answer.json
    return answer.json["created"][0]
