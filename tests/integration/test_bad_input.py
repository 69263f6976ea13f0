"""Bad input over real HTTP: a clear error naming the field, and nothing stored (docs/paging.md).

One service for the module, configured without a default route (so an alert can match nothing)
and with a 100 kB body limit. Every case checks that the alert list is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests

from tests.integration.configs import demo_config
from tests.integration.launcher import Running
from tests.integration.payloads import am_alert, am_payload

pytestmark = pytest.mark.integration

BODY_LIMIT = 100_000
AM = "/api/v1/alerts/alertmanager"
API = "/api/v1/alerts"


@pytest.fixture(scope="module")
def running(module_launch) -> Running:
    return module_launch(demo_config(default_route=False), ONCALL_MAX_BODY_BYTES=str(BODY_LIMIT))


def stored(running: Running) -> int:
    return len(running.api.alerts(status="all"))


def raw(body: str, content_type: str = "application/json") -> dict:
    return {"data": body.encode(), "headers": {"Content-Type": content_type}}


def with_bad(index: int, change: Callable[[dict], None], count: int = 5) -> dict:
    """A grouped payload of `count` good alerts, the one at `index` spoilt by `change`."""
    alerts = [am_alert(f"Grouped{i}") for i in range(count)]
    change(alerts[index])
    return {"json": am_payload(alerts)}


BAD_INPUT = [
    # (path, request, HTTP status, field named, words in the message)
    pytest.param(API, raw('{"rule": "X",'), 400, "body", "not valid JSON", id="malformed JSON"),
    pytest.param(API, raw("not json at all"), 400, "body", "not valid JSON", id="not JSON"),
    pytest.param(
        API,
        raw('{"rule": "X"}', "application/xml"),
        400,
        "Content-Type",
        "expected application/json",
        id="wrong content type",
    ),
    pytest.param(API, {"json": {"rule": 5}}, 400, "rule", "must be a string", id="rule is a number"),
    pytest.param(
        API,
        {"json": {"rule": "X", "labels": {"team": 1}}},
        400,
        "labels.team",
        "must be a string",
        id="label value is a number",
    ),
    pytest.param(
        API,
        {"json": {"rule": "X", "status": "burning"}},
        400,
        "status",
        "'firing' or 'resolved'",
        id="unknown status",
    ),
    pytest.param(
        API, {"json": {"rule": "X", "colour": "red"}}, 400, "colour", "unknown field", id="unknown field"
    ),
    pytest.param(API, {"json": {"summary": "no rule"}}, 400, "rule", "is required", id="rule missing"),
    pytest.param(API, {"json": []}, 400, "body", "at least 1", id="empty list"),
    pytest.param(
        API,
        {"json": {"rule": "X", "labels": {"team": "search"}}},
        400,
        "alerts[0].labels",
        "no route matches",
        id="matches no route",
    ),
    pytest.param(AM, {"json": {"version": "4"}}, 400, "alerts", "is required", id="AM alerts missing"),
    pytest.param(
        AM, {"json": {"version": "3", "alerts": []}}, 400, "version", "not supported", id="AM wrong version"
    ),
    pytest.param(
        AM,
        with_bad(2, lambda a: a.pop("startsAt")),
        400,
        "alerts[2].startsAt",
        "is required",
        id="AM group with one alert missing startsAt",
    ),
    pytest.param(
        AM,
        with_bad(4, lambda a: a.update(startsAt="yesterday")),
        400,
        "alerts[4].startsAt",
        "not an RFC 3339 time",
        id="AM group with one bad time",
    ),
    pytest.param(
        AM,
        with_bad(1, lambda a: a["labels"].update(severity=1)),
        400,
        "alerts[1].labels.severity",
        "must be a string",
        id="AM group with one label of the wrong type",
    ),
    pytest.param(
        AM,
        with_bad(3, lambda a: a.update(fingerprint=None)),
        400,
        "alerts[3].fingerprint",
        "is required",
        id="AM group with one alert missing its fingerprint",
    ),
    pytest.param(
        AM,
        with_bad(3, lambda a: a["labels"].update(team="search")),
        400,
        "alerts[3].labels",
        "no route matches",
        id="AM group with one alert matching no route",
    ),
    pytest.param(
        API, raw(json.dumps({"rule": "X", "details": "x" * BODY_LIMIT})), 413, None, "", id="oversize body"
    ),
    pytest.param(
        API,
        raw('{"rule": "X", "details": ' + "[" * 10_000 + "]" * 10_000 + "}"),
        400,
        "body",
        "not valid JSON",
        id="JSON nested 10,000 deep",
    ),
    pytest.param(API, raw('{"rule": "X\\ud800"}'), 400, "body", "not valid JSON", id="lone surrogate"),
    pytest.param(
        AM,
        with_bad(0, lambda a: a.update(startsAt="9999-12-31T23:00:00-05:00")),
        400,
        "alerts[0].startsAt",
        "years 2000 to 2199",
        id="AM startsAt in year 9999",
    ),
    pytest.param(
        AM,
        with_bad(0, lambda a: a.update(startsAt="0001-01-01T00:00:00Z")),
        400,
        "alerts[0].startsAt",
        "years 2000 to 2199",
        id="AM startsAt in year 1",
    ),
]


@pytest.mark.parametrize(("path", "request_kwargs", "status", "field", "words"), BAD_INPUT)
def test_bad_input_is_refused_with_the_field_and_nothing_is_stored(
    running, path, request_kwargs, status, field, words
):
    before = stored(running)

    response = running.api.post(path, **request_kwargs)

    assert response.status_code == status, response.text
    body = response.json()
    assert body.get("field") == field
    assert words in body["error"]
    assert stored(running) == before


def chunks(total: int, size: int = 16_384):
    """A JSON body of `total` bytes sent with Transfer-Encoding: chunked (no Content-Length)."""
    head, tail = b'{"rule": "X", "details": "', b'"}'
    yield head
    left = total - len(head) - len(tail)
    while left > 0:
        yield b"x" * min(size, left)
        left -= size
    yield tail


def test_chunked_body_over_the_limit_is_413_and_nothing_is_stored(running):
    before = stored(running)

    response = running.api.post(
        API, data=chunks(BODY_LIMIT * 3), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413, response.text
    assert stored(running) == before


def test_chunked_body_within_the_limit_is_stored(running):
    """The control: a chunked body is read whole when it fits."""
    body = b"".join(chunks(BODY_LIMIT // 2)).replace(
        b'"rule": "X"', b'"rule": "Chunked", "labels": {"team": "payments"}'
    )
    response = running.api.post(
        API,
        data=iter([body[:1000], body[1000:]]),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        pytest.param(API, {"limit": "abc"}, "limit", id="limit=abc"),
        pytest.param("/api/v1/oncall", {"at": "9999-12-31T23:00:00-05:00"}, "at", id="at in 9999"),
        pytest.param("/api/v1/audit/report", {"since": "99999999d"}, "since", id="since=99999999d"),
    ],
)
def test_bad_query_argument_is_400_over_http(running, path, params, field):
    response = running.api.http.get(f"{running.service.url}{path}", params=params, timeout=10)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field


def test_405_carries_allow_over_http(running):
    response = running.api.http.put(f"{running.service.url}{API}", timeout=10)
    assert response.status_code == 405
    assert {"GET", "POST"} <= set(response.headers["Allow"].split(", "))


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no token"),
        pytest.param("Bearer oc_not-a-real-token", id="unknown token"),
        pytest.param("Basic dXNlcjpwYXNz", id="not a bearer token"),
    ],
)
def test_bad_token_gets_401_and_nothing_is_stored(running, authorization):
    before = stored(running)
    headers = {"Authorization": authorization} if authorization else {}

    response = requests.post(
        f"{running.service.url}{AM}", json=am_payload([am_alert("Unauthorised")]), headers=headers, timeout=10
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(running) == before


def test_the_same_group_without_the_bad_alert_is_stored_whole(running):
    """The control: the payloads above fail only because of the one bad alert."""
    before = stored(running)
    alerts = [am_alert(f"Control{i}") for i in range(5)]

    response = running.api.post(AM, json=am_payload(alerts))

    assert response.status_code == 201, response.text
    assert len(response.json()["created"]) == 5
    assert stored(running) == before + 5
