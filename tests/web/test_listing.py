"""Paging a list: GET /api/v1/alerts and /api/v1/incidents walked with `limit`, `next` and `total`."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from oncall.alerts.models import Alert
from oncall.web.listing import decode_cursor, encode_cursor

API = "/api/v1/alerts"


def store_alerts(runtime, count: int, *, status: str = "triggered", prefix: str = "a") -> list[int]:
    """`count` alerts stored as intake would (one transaction); their ids, oldest first."""
    now = runtime.clock.now()
    rows = [
        Alert(
            source="api",
            dedup_key=f"{prefix}-{n}",
            open_key=None,
            rule="HighErrorRate",
            status=status,
            severity="SEV-2",
            base_severity="SEV-2",
            summary=f"alert {n}",
            labels=json.dumps({"team": "payments"}),
            policy="payments",
            started_at=now - timedelta(seconds=count - n),
            received_at=now,
            last_seen_at=now,
        )
        for n in range(count)
    ]
    with runtime.db.session() as session:
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def walk(
    client, auth, url: str, key: str = "alerts", cursor: str | None = None
) -> tuple[list[int], list[dict]]:
    """Every id of a paged list from `cursor`, following `next` to the end; and each page's body."""
    seen, pages = [], []
    while True:
        page = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=auth)
        assert page.status_code == 200, page.json
        pages.append(page.json)
        seen += [item["id"] for item in page.json[key]]
        cursor = page.json["next"]
        if cursor is None:
            return seen, pages


def test_2500_alerts_paged_by_1000_are_each_seen_once_newest_first(client, auth, runtime):
    ids = store_alerts(runtime, 2500)

    seen, pages = walk(client, auth, f"{API}?status=all&limit=1000")

    assert seen == sorted(ids, reverse=True)
    assert [len(p["alerts"]) for p in pages] == [1000, 1000, 500]
    assert {p["total"] for p in pages} == {2500}
    assert pages[-1]["next"] is None


def test_a_cursor_still_continues_after_new_alerts_arrive(client, auth, runtime):
    older = store_alerts(runtime, 2500)
    first = client.get(f"{API}?limit=1000", headers=auth).json

    newer = store_alerts(runtime, 10, prefix="late")
    rest, pages = walk(client, auth, f"{API}?limit=1000", cursor=first["next"])

    listed = [a["id"] for a in first["alerts"]] + rest
    assert listed == sorted(older, reverse=True)  # no repeats, none of the older skipped
    assert not set(newer) & set(rest)
    assert pages[0]["total"] == 2510  # the total counts what is there now
    assert client.get(f"{API}?limit=1000", headers=auth).json["alerts"][0]["id"] == newer[-1]


def test_the_status_filter_applies_to_the_rows_and_the_total(client, auth, runtime):
    open_ids = store_alerts(runtime, 3)
    store_alerts(runtime, 4, status="resolved", prefix="done")

    body = client.get(f"{API}?limit=2", headers=auth).json
    assert [a["id"] for a in body["alerts"]] == sorted(open_ids, reverse=True)[:2]
    assert body["total"] == 3
    rest = client.get(f"{API}?limit=2&cursor={body['next']}", headers=auth).json
    assert ([a["id"] for a in rest["alerts"]], rest["next"]) == ([open_ids[0]], None)


def test_the_default_page_is_100_and_a_larger_limit_gives_1000(client, auth, runtime):
    store_alerts(runtime, 1001)
    assert len(client.get(API, headers=auth).json["alerts"]) == 100
    body = client.get(f"{API}?limit=5000", headers=auth).json
    assert (len(body["alerts"]), body["total"]) == (1000, 1001)
    assert body["next"] is not None


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not-a-cursor", id="garbage"),
        pytest.param(b64("incidents:5"), id="another list's cursor"),
        pytest.param(b64("alerts:0"), id="id 0"),
        pytest.param(b64("alerts:-3"), id="negative"),
        pytest.param(b64("alerts:99999999999999999999"), id="beyond 64 bits"),
        pytest.param("%00", id="NUL"),
        pytest.param("a" * 65, id="too long"),
    ],
)
def test_a_cursor_the_service_did_not_make_is_a_400(client, auth, cursor):
    response = client.get(f"{API}?cursor={cursor}", headers=auth)
    assert response.status_code == 400, response.json
    assert response.json["field"] == "cursor"


def test_incidents_are_paged_the_same_way(client, auth):
    ids = [
        client.post("/api/v1/incidents", json={"title": f"i{n}", "severity": "SEV-3"}, headers=auth).json[
            "id"
        ]
        for n in range(5)
    ]
    seen, pages = walk(client, auth, "/api/v1/incidents?status=all&limit=2", key="incidents")
    assert seen == sorted(ids, reverse=True)
    assert [len(p["incidents"]) for p in pages] == [2, 2, 1]
    assert {p["total"] for p in pages} == {5}
    alerts_cursor = encode_cursor("alerts", ids[-1])
    assert client.get(f"/api/v1/incidents?cursor={alerts_cursor}", headers=auth).status_code == 400


def test_cursor_round_trip():
    assert decode_cursor("alerts", encode_cursor("alerts", 2**63 - 1)) == 2**63 - 1
    assert decode_cursor("alerts", None) is None
