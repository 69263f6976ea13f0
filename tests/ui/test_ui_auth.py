"""Sign-in, CSRF and session expiry: forged forms and anonymous writes are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.app import create_app
from oncall.settings import Settings
from tests.conftest import with_settings
from tests.ui.conftest import PASSWORD, csrf_of, fire, sign_in


@pytest.mark.parametrize(
    "person, password, status",
    [
        pytest.param("kim", PASSWORD, 302, id="right password signs in"),
        pytest.param("kim", "wrong password!", 401, id="wrong password is refused"),
        pytest.param("park", PASSWORD, 401, id="person without a login is refused"),
        pytest.param("nobody", PASSWORD, 401, id="unknown name is refused"),
    ],
)
def test_sign_in(client, logins, person, password, status):
    answer = sign_in(client, person, password)
    assert answer.status_code == status
    page = client.get("/").get_data(as_text=True)
    assert ("Sign out" in page) == (status == 302)


@pytest.mark.parametrize(
    "path, data",
    [
        pytest.param("/alerts/{id}/ack", {}, id="acknowledge"),
        pytest.param("/alerts/{id}/vote", {"value": "noise"}, id="vote"),
        pytest.param(
            "/schedule/payments/overrides",
            {"person": "lee", "start": "2026-03-04T09:00", "end": "2026-03-04T18:00"},
            id="override",
        ),
        pytest.param("/audit/DiskFull/pin", {}, id="pin a rule"),
    ],
)
def test_form_without_csrf_token_is_refused_even_when_signed_in(signed_in, auth, path, data):
    alert_id = fire(signed_in, auth, "DiskFull")
    answer = signed_in.post(path.format(id=alert_id), data=data)
    assert answer.status_code == 400
    assert "did not come from this site" in answer.get_data(as_text=True)
    assert signed_in.get("/api/v1/alerts", headers=auth).json["alerts"][0]["status"] == "triggered"


@pytest.mark.parametrize(
    "token",
    [pytest.param("forged", id="wrong token"), pytest.param("", id="empty token")],
)
def test_login_form_needs_its_csrf_token(client, logins, token):
    client.get("/login")
    answer = client.post("/login", data={"person": "kim", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 400


def test_write_without_sign_in_is_refused(client, auth):
    alert_id = fire(client, auth, "DiskFull")
    token = csrf_of(client.get("/alerts").get_data(as_text=True))
    answer = client.post(f"/alerts/{alert_id}/ack", data={"csrf_token": token})
    assert answer.status_code == 401
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=auth).json["status"] == "triggered"


def test_session_expires_after_its_lifetime(signed_in, clock, auth):
    alert_id = fire(signed_in, auth, "DiskFull")
    clock.advance(timedelta(hours=12, minutes=1))
    token = csrf_of(signed_in.get("/alerts").get_data(as_text=True))
    answer = signed_in.post(f"/alerts/{alert_id}/ack", data={"csrf_token": token})
    assert answer.status_code == 401
    assert "Sign in" in signed_in.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "env, status",
    [pytest.param("1", 401, id="read login on: closed"), pytest.param("", 200, id="read login off: open")],
)
def test_reading_needs_sign_in_only_when_configured(runtime, env, status):
    read_login = Settings.from_env({"ONCALL_UI_READ_LOGIN": env}).ui_read_login
    client = create_app(runtime=with_settings(runtime, ui_read_login=read_login)).test_client()
    assert client.get("/alerts").status_code == status
    assert client.get("/login").status_code == 200


def test_sign_in_never_redirects_to_another_site(client, logins):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    answer = client.post(
        "/login", data={"person": "kim", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"}
    )
    assert answer.headers["Location"] == "/"
