"""Sessions on the server, the sign-in throttle, Secure cookies and proxy hops.

A copied cookie stops working at sign-out; wrong passwords are counted in the database per login
and per client address (so every worker and instance sees them); the address is the socket's
unless ONCALL_PROXY_HOPS says how many proxies' X-Forwarded-For to believe.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import request

from oncall.app import create_app
from tests.conftest import stored_text, with_settings
from tests.ui.conftest import PASSWORD, csrf_of, fire, sign_in

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.7"}


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def try_password(client, person: str, password: str, environ: dict | None = None, **headers):
    """One sign-in attempt from `environ`'s address (and with `headers`); returns the answer."""
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"person": person, "password": password, "csrf_token": token},
        environ_base=environ or {},
        headers=headers,
    )


def fail(client, person: str, times: int, environ: dict | None = None, **headers) -> None:
    for _ in range(times):
        assert try_password(client, person, "wrong password!", environ, **headers).status_code == 401


# --- logout ends the session on the server -------------------------------------------------------


def test_a_cookie_copied_before_sign_out_no_longer_works_after_it(app, signed_in, auth):
    alert_id = fire(signed_in, auth, "DiskFull")
    stolen = session_cookie(signed_in)
    page = signed_in.get("/alerts").get_data(as_text=True)
    assert "Sign out" in page
    signed_in.post("/logout", data={"csrf_token": csrf_of(page)})

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    page = replay.get("/alerts").get_data(as_text=True)
    assert "Sign out" not in page and "Sign in" in page
    # The stolen cookie still holds a valid CSRF token, but no longer a person.
    answer = replay.post(f"/alerts/{alert_id}/ack", data={"csrf_token": csrf_of(page)})
    assert answer.status_code == 401
    assert replay.get(f"/api/v1/alerts/{alert_id}", headers=auth).json["status"] == "triggered"


def test_signing_out_elsewhere_leaves_other_sessions_alone(app, logins):
    phone, laptop = app.test_client(), app.test_client()
    assert sign_in(phone).status_code == 302 and sign_in(laptop).status_code == 302
    page = phone.get("/").get_data(as_text=True)
    phone.post("/logout", data={"csrf_token": csrf_of(page)})
    assert "Sign out" not in phone.get("/").get_data(as_text=True)
    assert "Sign out" in laptop.get("/").get_data(as_text=True)


def test_only_a_hash_of_the_session_id_is_stored(app, signed_in, database_url):
    serializer = app.session_interface.get_signing_serializer(app)
    sid = serializer.loads(session_cookie(signed_in))["sid"]
    assert len(sid) >= 40
    assert sid not in stored_text(database_url)


# --- the sign-in throttle ------------------------------------------------------------------------


def test_five_wrong_passwords_for_a_login_make_it_wait_even_with_the_right_one(client, logins, clock):
    fail(client, "kim", 5, ATTACKER)
    answer = try_password(client, "kim", PASSWORD, ATTACKER)
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= 15 * 60
    assert "Too many wrong passwords" in answer.get_data(as_text=True)
    # From another address too: the login is what is being guessed.
    assert try_password(client, "kim", PASSWORD, ELSEWHERE).status_code == 429

    clock.advance(timedelta(seconds=int(answer.headers["Retry-After"])))
    assert try_password(client, "kim", PASSWORD, ELSEWHERE).status_code == 302


def test_another_person_from_another_address_signs_in_during_an_attack(app, logins):
    fail(app.test_client(), "kim", 5, ATTACKER)
    assert try_password(app.test_client(), "kim", PASSWORD, ATTACKER).status_code == 429
    assert try_password(app.test_client(), "lee", PASSWORD, ELSEWHERE).status_code == 302


def test_twenty_failures_from_one_address_block_that_address_only(app, logins):
    attacker = app.test_client()
    for person in ("park", "choi", "jung", "nobody"):
        fail(attacker, person, 5, ATTACKER)
    assert try_password(attacker, "lee", PASSWORD, ATTACKER).status_code == 429
    assert try_password(app.test_client(), "lee", PASSWORD, ELSEWHERE).status_code == 302


def test_a_right_password_clears_the_count_for_that_login(client, logins):
    fail(client, "kim", 4, ELSEWHERE)
    assert try_password(client, "kim", PASSWORD, ELSEWHERE).status_code == 302
    fail(client, "kim", 4, ELSEWHERE)
    assert try_password(client, "kim", PASSWORD, ELSEWHERE).status_code == 302


def test_failures_are_counted_across_instances_through_the_database(runtime, logins):
    # Two apps on one database stand for two gunicorn workers or two instances.
    first = create_app(runtime=runtime, start_background=False)
    second = create_app(runtime=runtime, start_background=False)
    fail(first.test_client(), "kim", 3, ATTACKER)
    fail(second.test_client(), "kim", 2, ATTACKER)
    assert try_password(first.test_client(), "kim", PASSWORD, ATTACKER).status_code == 429


# --- proxies -------------------------------------------------------------------------------------


def test_forwarded_for_is_ignored_without_proxy_hops(client, logins):
    # A client forging X-Forwarded-For cannot get a fresh address per guess.
    for n in range(20):
        forged = {"X-Forwarded-For": f"192.0.2.{n}"}
        assert try_password(client, f"guess{n}", "wrong password!", ATTACKER, **forged).status_code == 401
    answer = try_password(client, "lee", PASSWORD, ATTACKER, **{"X-Forwarded-For": "192.0.2.200"})
    assert answer.status_code == 429


def test_with_one_proxy_hop_the_forwarded_address_is_the_client(runtime, logins):
    app = create_app(runtime=with_settings(runtime, proxy_hops=1), start_background=False)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for person in ("park", "choi", "jung", "nobody"):
        fail(app.test_client(), person, 5, proxy, **{"X-Forwarded-For": "203.0.113.66"})
    blocked = try_password(app.test_client(), "lee", PASSWORD, proxy, **{"X-Forwarded-For": "203.0.113.66"})
    assert blocked.status_code == 429
    other = try_password(app.test_client(), "lee", PASSWORD, proxy, **{"X-Forwarded-For": "198.51.100.7"})
    assert other.status_code == 302


@pytest.mark.parametrize(
    "hops, seen",
    [
        pytest.param(1, "https://oncall.example.com/probe 203.0.113.66", id="one hop: believed"),
        pytest.param(0, "http://localhost/probe 10.0.0.2", id="no hops: ignored"),
    ],
)
def test_forwarded_proto_and_host_are_believed_only_from_proxy_hops(runtime, hops, seen):
    app = create_app(runtime=with_settings(runtime, proxy_hops=hops), start_background=False)
    app.add_url_rule("/probe", "probe", lambda: f"{request.url} {request.remote_addr}")
    answer = app.test_client().get(
        "/probe",
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
        headers={
            "X-Forwarded-For": "203.0.113.66",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "oncall.example.com",
        },
    )
    assert answer.get_data(as_text=True) == seen


# --- cookies -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "public_url, secure",
    [
        pytest.param("https://oncall.example.com", True, id="https public URL: Secure"),
        pytest.param("http://127.0.0.1:8080", False, id="http public URL: not Secure"),
    ],
)
def test_the_session_cookie_is_secure_behind_https(runtime, logins, public_url, secure):
    app = create_app(runtime=with_settings(runtime, public_url=public_url), start_background=False)
    answer = sign_in(app.test_client())
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == secure
