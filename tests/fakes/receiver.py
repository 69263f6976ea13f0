"""A stand-in for the service's webhook endpoints: records what arrives, answers TwiML.

For testing the fake Twilio and the paging adapters without the whole Flask app.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qsl, urlsplit

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the service would see it."""

    method: str
    path: str  # path and query, as Flask's request.full_path minus a bare "?"
    form: dict[str, str]
    headers: dict[str, str]

    @property
    def signature(self) -> str | None:
        return self.headers.get("X-Twilio-Signature")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        receiver: WebhookReceiver = self.server.receiver  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        form = dict(parse_qsl(raw, keep_blank_values=True))
        request = ReceivedRequest(method, self.path, form, dict(self.headers.items()))
        body = receiver.record(request).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class WebhookReceiver:
    """HTTP server on 127.0.0.1 answering each path with a configured TwiML document."""

    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self._responses: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.receiver = self  # type: ignore[attr-defined]

    def __enter__(self) -> Self:
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def respond(self, path: str, twiml: str) -> None:
        """Answer requests to `path` (query ignored) with `twiml`."""
        self._responses[path] = twiml

    def record(self, request: ReceivedRequest) -> str:
        """Keep `request`; return the answer for its path."""
        with self._lock:
            self.requests.append(request)
        return self._responses.get(urlsplit(request.path).path, EMPTY_TWIML)

    def to(self, path: str) -> list[ReceivedRequest]:
        """Requests received on `path` (query ignored), oldest first."""
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]
