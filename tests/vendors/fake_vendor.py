"""A small fake of the three vendors' REST APIs on 127.0.0.1, serving the fixtures page by page."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.vendors.helpers import fixture_dir

TOKEN = "s3cret"
AUTH = {"pagerduty": f"Token token={TOKEN}", "opsgenie": f"GenieKey {TOKEN}", "grafana-oncall": TOKEN}


def _load(vendor: str, name: str) -> Any:
    return json.loads((fixture_dir(vendor) / name).read_text())


class FakeVendor:
    """Routes → bodies; `users` come in two pages so pagination is exercised."""

    def __init__(self, vendor: str, foreign_next: bool = False, delay: float = 0.0) -> None:
        self.vendor, self.foreign_next, self.delay = vendor, foreign_next, delay
        self.base = ""
        self.requests: list[str] = []

    def answer(self, path: str, query: dict[str, list[str]]) -> Any:
        return getattr(self, self.vendor.replace("-", "_"))(path, query)

    def pagerduty(self, path: str, query: dict[str, list[str]]) -> Any:
        users = _load("pagerduty", "users.json")["users"]
        offset = int(query.get("offset", ["0"])[0])
        if path == "/schedules":
            return {"schedules": [{"id": "PSCH001", "name": "Platform primary"}], "more": False}
        if path == "/schedules/PSCH001":
            return _load("pagerduty", "schedule_primary.json")
        if path == "/escalation_policies":
            return _load("pagerduty", "escalation_policies.json")
        if path == "/users" and "contact_methods" in query.get("include[]", []):
            return {
                "users": users[:3] if offset == 0 else users[3:],
                "more": offset == 0,
                "limit": 100,
                "offset": offset,
            }
        return None

    def opsgenie(self, path: str, query: dict[str, list[str]]) -> Any:
        users = _load("opsgenie", "users.json")["data"]
        if path == "/v2/schedules" and query.get("expand") == ["rotation"]:
            return {"data": [_load("opsgenie", "schedule_sre_berlin.json")["data"]]}
        if path == "/v2/escalations":
            return _load("opsgenie", "escalations.json")
        if path == "/v2/users":
            if query.get("offset") == ["3"]:
                return {"data": users[3:], "paging": {"first": "x"}}
            return {"data": users[:3], "paging": {"next": self._next("/v2/users?limit=100&offset=3")}}
        return None

    def grafana_oncall(self, path: str, query: dict[str, list[str]]) -> Any:
        name = path.removeprefix("/api/v1/").strip("/")
        if not path.startswith("/api/v1/") or not (fixture_dir("grafana-oncall") / f"{name}.json").exists():
            return None
        body = _load("grafana-oncall", f"{name}.json")
        if name == "users":
            results = body["results"]
            if query.get("page") == ["2"]:
                return {**body, "results": results[2:], "next": None}
            return {**body, "results": results[:2], "next": self._next("/api/v1/users/?page=2")}
        return body

    def _next(self, path: str) -> str:
        return ("http://192.0.2.1:9" if self.foreign_next else self.base) + path


@contextmanager
def serving(fake: FakeVendor) -> Iterator[str]:
    """Serve `fake` on 127.0.0.1 and yield its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server interface)
            fake.requests.append(self.path)
            time.sleep(fake.delay)
            parts = urlsplit(self.path)
            if self.headers.get("Authorization") != AUTH[fake.vendor]:
                return self._send(401, {"error": "unauthorized"})
            body = fake.answer(parts.path, parse_qs(parts.query))
            self._send(404 if body is None else 200, body or {"error": "not found"})

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake.base
    finally:
        server.shutdown()
        server.server_close()
