"""Getting the vendor's JSON bodies over HTTP (`--url`, `--token`), page by page.

Only the host the user names is ever asked: a `next` link elsewhere stops the fetch. Each page
is one body, named by its URL in error messages, and goes through the same readers as a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from oncall.vendors.errors import VendorDataError

TIMEOUT = 20.0
PAGE = 100
MAX_PAGES = 1000
Bodies = list[tuple[str, Any]]


def fetch_all(
    vendor: str, base: str, token: str, timeout: float = TIMEOUT, on_page: Callable[[], object] | None = None
) -> Bodies:
    """Every body the migration needs from the vendor's API at `base`; `on_page()` after each."""
    if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc:
        raise VendorDataError(
            base, "", "", "--url must be an http(s) address such as https://api.pagerduty.com"
        )
    client = _Client(base, _headers(vendor, token), timeout, on_page)
    if vendor == "pagerduty":
        return _pagerduty(client)
    if vendor == "opsgenie":
        return list(client.pages("/v2/schedules?expand=rotation")) + [
            *client.pages("/v2/escalations"),
            *client.pages("/v2/users?limit=100"),
        ]
    paths = ("users", "schedules", "on_call_shifts", "escalation_chains", "escalation_policies")
    return [body for path in paths for body in client.pages(f"/api/v1/{path}/")]


def _headers(vendor: str, token: str) -> dict[str, str]:
    if vendor == "pagerduty":
        return {"Authorization": f"Token token={token}", "Accept": "application/vnd.pagerduty+json;version=2"}
    if vendor == "opsgenie":
        return {"Authorization": f"GenieKey {token}"}
    return {"Authorization": token}


def _pagerduty(client: _Client) -> Bodies:
    listed = list(client.offset_pages("/schedules"))
    ids = [item["id"] for _, body in listed for item in body.get("schedules", []) if isinstance(item, dict)]
    bodies = [client.get(f"/schedules/{schedule_id}") for schedule_id in ids]
    bodies += list(client.offset_pages("/escalation_policies"))
    bodies += list(client.offset_pages("/users", "&include[]=contact_methods"))
    return bodies


class _Client:
    def __init__(
        self, base: str, headers: dict[str, str], timeout: float, on_page: Callable[[], object] | None = None
    ) -> None:
        self.base, self.headers, self.timeout = base.rstrip("/"), headers, timeout
        self.on_page = on_page
        self.origin = urlsplit(base)[:2]
        self.session = requests.Session()

    def get(self, path_or_url: str) -> tuple[str, Any]:
        url = (
            urljoin(self.base + "/", path_or_url.lstrip("/"))
            if not path_or_url.startswith("http")
            else path_or_url
        )
        if urlsplit(url)[:2] != self.origin:
            raise VendorDataError(
                url, "", "", f"is not on the host given with --url ({self.base}); not followed"
            )
        try:
            answer = self.session.get(url, headers=self.headers, timeout=self.timeout, allow_redirects=False)
        except requests.Timeout:
            raise VendorDataError(url, "", "", f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise VendorDataError(url, "", "", f"could not connect ({type(error).__name__})") from None
        if answer.status_code == 401 or answer.status_code == 403:
            raise VendorDataError(url, "", "", f"the token was refused ({answer.status_code}); check --token")
        if answer.status_code == 404:
            raise VendorDataError(url, "", "", "not found (404); is --url the API's base address?")
        if answer.status_code != 200:
            raise VendorDataError(url, "", "", f"answered {answer.status_code}")
        try:
            body = answer.json()
        except ValueError:
            raise VendorDataError(url, "", "", "did not answer JSON") from None
        if self.on_page is not None:
            self.on_page()
        return url, body

    def pages(self, path: str) -> Iterator[tuple[str, Any]]:
        """Pages linked by `next` (Grafana OnCall) or `paging.next` (Opsgenie)."""
        link: str | None = path
        for _ in range(MAX_PAGES):
            if not link:
                return
            url, body = self.get(link)
            yield url, body
            paging = body.get("paging") if isinstance(body, dict) else None
            link = (paging or {}).get("next") if isinstance(paging, dict) else body.get("next")
        raise VendorDataError(path, "", "", f"more than {MAX_PAGES} pages")

    def offset_pages(self, path: str, extra: str = "") -> Iterator[tuple[str, Any]]:
        """PagerDuty's classic pagination: `offset` and `limit` while `more` is true."""
        for page in range(MAX_PAGES):
            url, body = self.get(f"{path}?limit={PAGE}&offset={page * PAGE}{extra}")
            yield url, body
            if not (isinstance(body, dict) and body.get("more")):
                return
        raise VendorDataError(path, "", "", f"more than {MAX_PAGES} pages")
