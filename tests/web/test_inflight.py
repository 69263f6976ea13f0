"""The engine makes way for requests: `InFlight` counts the requests a worker is answering, and
`wait_for_quiet` holds the engine's thread until none has been answered for a moment (bounded)."""

from __future__ import annotations

import threading

import pytest

from oncall.app import SCHEDULER, create_app
from oncall.web.inflight import InFlight


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def broken(environ, start_response):
    raise RuntimeError("the view failed")


def begin(app: InFlight):
    """Start a request and leave it unfinished: the server has not closed its answer yet."""
    return app({}, lambda status, headers: None)


def test_an_idle_worker_lets_the_engine_go_on_at_once():
    assert InFlight(hello).wait_for_quiet(at_most=5, quiet=0) is True


def test_a_request_in_flight_holds_the_engine_until_it_is_answered_and_no_longer():
    app = InFlight(hello)
    answer = begin(app)
    assert app.count == 1
    assert app.wait_for_quiet(at_most=0.05, quiet=0) is False  # bounded: the engine goes on anyway

    went_quiet: list[bool] = []
    waiter = threading.Thread(target=lambda: went_quiet.append(app.wait_for_quiet(at_most=30, quiet=0)))
    waiter.start()
    assert list(answer) == [b"ok"]
    answer.close()  # gunicorn closes the iterable once the answer is written
    waiter.join(10)
    assert went_quiet == [True]  # woken by the answer, long before its 30 s bound
    assert app.count == 0


def test_a_request_that_fails_is_no_longer_counted():
    app = InFlight(broken)
    with pytest.raises(RuntimeError):
        begin(app)
    assert app.count == 0
    assert app.wait_for_quiet(at_most=5, quiet=0) is True


def test_the_served_app_counts_its_requests_for_its_engine(runtime):
    app = create_app(runtime=runtime, start_background=True)
    try:
        assert isinstance(app.wsgi_app, InFlight)
        assert runtime.engine.make_way == app.wsgi_app.wait_for_quiet
        answer = app.test_client().get("/healthz")
        assert app.wsgi_app.count == 1  # until the server closes the answer
        answer.close()
        assert app.wsgi_app.count == 0
    finally:
        app.extensions[SCHEDULER].shutdown(wait=True)


def test_an_app_without_the_engine_is_not_wrapped(runtime):
    app = create_app(runtime=runtime, start_background=False)
    assert not isinstance(app.wsgi_app, InFlight)
