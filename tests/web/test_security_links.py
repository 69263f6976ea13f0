"""Hostile URLs: only http(s) becomes a link; `back`/`next` redirect only to a path on this site."""

from __future__ import annotations

import pytest

from oncall.alerts.models import Alert
from oncall.ui.links import http_link, local_path
from tests.ui import conftest as ui_fixtures
from tests.ui.conftest import PASSWORD, csrf_of, fire

# The UI's fixtures: people with logins, and a client signed in as Kim.
logins = ui_fixtures.logins
signed_in = ui_fixtures.signed_in

HOSTILE_LINKS = [
    pytest.param("javascript:alert(document.cookie)", id="javascript"),
    pytest.param("JaVaScRiPt:alert(1)", id="mixed case"),
    pytest.param("  javascript:alert(1)", id="leading spaces"),
    pytest.param("\x01\x02javascript:alert(1)", id="leading control characters"),
    pytest.param("java\tscript:alert(1)", id="tab inside the scheme"),
    pytest.param("java\nscript:alert(1)", id="newline inside the scheme"),
    pytest.param("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", id="data"),
    pytest.param("vbscript:msgbox(1)", id="vbscript"),
    pytest.param("https:evil.example", id="https without a host"),
    pytest.param("//evil.example/runbook", id="scheme-relative"),
    pytest.param("/wiki/runbook", id="relative path"),
    pytest.param("https://\\evil.example", id="backslash"),
    pytest.param("https://[::1", id="broken IPv6 host"),
]


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_http_link_refuses_everything_but_absolute_http_urls(url):
    assert http_link(url) is None


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://wiki.example.com/runbooks/disk-full#db", id="https"),
        pytest.param("HTTP://wiki.example.com/r?x=1&y=2", id="upper-case http with a query"),
    ],
)
def test_http_link_keeps_web_urls(url):
    assert http_link(url) == url


def alert_page_with_runbook(client, auth, runtime, runbook: str) -> str:
    """The alert page of an alert whose runbook_url is `runbook` (set directly: hostile storage)."""
    alert_id = fire(client, auth, "DiskFull")
    with runtime.db.session() as session:
        session.get(Alert, alert_id).runbook_url = runbook
    return client.get(f"/alerts/{alert_id}").get_data(as_text=True)


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_hostile_runbook_url_is_text_not_a_link(client, auth, runtime, url):
    page = alert_page_with_runbook(client, auth, runtime, url)
    runbook = page.split('data-testid="runbook"')[1].split("</p>")[0]
    assert "<a" not in runbook and "href" not in runbook
    assert "not a web link" in runbook


def test_an_https_runbook_url_is_a_link(client, auth, runtime):
    page = alert_page_with_runbook(client, auth, runtime, "https://wiki.example.com/disk?a=1&b=2")
    runbook = page.split('data-testid="runbook"')[1].split("</p>")[0]
    assert '<a href="https://wiki.example.com/disk?a=1&amp;b=2" rel="noopener noreferrer">' in runbook


def test_markup_in_a_runbook_url_is_escaped(client, auth, runtime):
    page = alert_page_with_runbook(client, auth, runtime, 'https://x.example/"><script>alert(1)</script>')
    assert "<script>alert(1)" not in page


BAD_TARGETS = [
    pytest.param("https://evil.example/", id="absolute URL"),
    pytest.param("//evil.example/", id="scheme-relative"),
    pytest.param("/\\evil.example/", id="slash backslash"),
    pytest.param("\\\\evil.example/", id="two backslashes"),
    pytest.param("/alerts\r\nSet-Cookie: owned=1", id="CR LF header injection"),
    pytest.param("/alerts\nLocation: https://evil.example/", id="LF"),
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("alerts", id="not a path"),
    pytest.param(" /alerts", id="leading space"),
    pytest.param("/\t/evil.example/", id="tab between slashes"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_local_path_refuses_anything_but_a_path_here(target):
    assert local_path(target, "/safe") == "/safe"


@pytest.mark.parametrize("target", ["/alerts", "/schedule/payments?from=2026-03-02", "/alerts/3#timeline"])
def test_local_path_keeps_paths_here(target):
    assert local_path(target, "/safe") == target


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_an_action_form_never_redirects_off_site(signed_in, auth, target):
    alert_id = fire(signed_in, auth, "DiskFull")
    token = csrf_of(signed_in.get("/alerts").get_data(as_text=True))
    answer = signed_in.post(f"/alerts/{alert_id}/ack", data={"csrf_token": token, "back": target})
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/alerts/{alert_id}"
    assert "owned" not in answer.headers.get("Set-Cookie", "")
    assert signed_in.get(f"/api/v1/alerts/{alert_id}", headers=auth).json["status"] == "acknowledged"


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_sign_in_never_redirects_off_site(client, logins, target):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    answer = client.post(
        "/login", data={"person": "kim", "password": PASSWORD, "csrf_token": token, "next": target}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_the_sign_in_page_never_carries_an_off_site_next(client, target):
    answer = client.get("/login", query_string={"next": target})
    assert answer.status_code == 200
    assert 'name="next" value="/"' in answer.get_data(as_text=True)
