"""The bench's load client (bench/client.py, run as its own process by bench/loadgen.py) against a
tiny loopback server: every request is sent, answered in order, spread over the URLs, and nothing
is sent past the deadline. No timing is asserted; the benches print figures, tests check counts.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.loadgen import Request, send
from bench.served import Page, double_pages
from tests.integration.service import free_port


class Recorder(ThreadingHTTPServer):
    """A server that notes (its port, method, path, body, Authorization) of each request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[int, str, str, str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the client expects

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(200, b"")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(201, body)

    def _answer(self, status: int, body: bytes) -> None:
        server: Recorder = self.server  # type: ignore[assignment]
        with server.lock:
            server.seen.append(
                (
                    server.server_address[1],
                    self.command,
                    self.path,
                    body.decode(),
                    self.headers.get("Authorization", ""),
                )
            )
        reply = json.dumps({"echo": body.decode()}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


@pytest.fixture
def servers() -> Iterator[list[Recorder]]:
    started = [Recorder(), Recorder()]
    for server in started:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def test_closed_loop_sends_every_request_once_spread_over_the_urls(servers):
    requests = [Request("POST", f"/item/{i}", {"n": i}) for i in range(40)]

    run = send([s.url for s in servers], "tok", requests, connections=3, processes=2, keep_bodies=True)

    assert [a.status for a in run.answers] == [201] * 40
    assert [json.loads(json.loads(a.body)["echo"])["n"] for a in run.answers] == list(range(40))
    first, second = (sorted(int(path.rsplit("/", 1)[1]) for _, _, path, _, _ in s.seen) for s in servers)
    assert first == list(range(0, 40, 2)) and second == list(range(1, 40, 2))
    assert {auth for s in servers for *_, auth in s.seen} == {"Bearer tok"}
    assert run.errors((201,)) == 0 and run.per_second > 0


def test_paced_run_stops_sending_at_the_deadline(servers):
    requests = [Request("GET", "/healthz")] * 40

    run = send([servers[0].url], "tok", requests, rate=4, connections=4, deadline=1.0)

    unsent = sum(1 for a in run.answers if a.status == 0)
    assert 0 < unsent < 40
    assert len(servers[0].seen) == 40 - unsent  # what was not sent never reached the server
    assert run.errors() == unsent


def test_a_refused_connection_is_an_error_not_a_crash():
    run = send([f"http://127.0.0.1:{free_port()}"], "tok", [Request("GET", "/healthz")] * 3, connections=1)

    assert [a.status for a in run.answers] == [-1, -1, -1]
    assert run.answered == []


def test_double_pages_counts_the_same_page_sent_again():
    pages = [
        Page("sms", "+821012345601", "[SEV-1 #1] HighErrorRate", 1.0),
        Page("sms", "+821012345601", "[SEV-1 #1] HighErrorRate", 2.0),  # the same page again
        Page("sms", "+821012345601", "[SEV-1 #2] DiskFull", 3.0),
        Page("call", "+821012345601", "http://svc/twilio/voice/1", 4.0),
        Page("sms", "+821012345602", "[SEV-1 #1] HighErrorRate", 5.0),
    ]

    assert double_pages(pages) == 1
    assert double_pages(pages[2:]) == 0
