"""The maintenance API: start, list, end; token auth, clear 4xx; the window on alerts' JSON and pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.maintenance.helpers import fire, paged

START = {"match": {"service": "payments-db"}, "duration": "2h", "reason": "DB migration"}
YAML_WINDOW = """
maintenance:
  - match_all: true
    from: "2026-03-03 10:00"
    to: "2026-03-03 12:00"
    reason: network switch-over
"""


def test_start_list_and_end_over_the_api(client, auth, runtime, notifier):
    started = client.post("/api/v1/maintenance", json=START, headers=auth)
    assert started.status_code == 201, started.json
    window = started.json
    assert (window["id"], window["state"], window["source"], window["created_by"]) == (
        "1",
        "active",
        "adhoc",
        "token:tests",
    )
    assert window["ends_at"] == "2026-03-03T04:00:00+00:00" and window["match_all"] is False

    alert = fire(runtime, "DiskFull", service="payments-db")[0]
    runtime.engine.tick()
    assert paged(notifier, runtime) == 0
    listed = client.get("/api/v1/maintenance", headers=auth).json["windows"]
    assert [(w["id"], w["alerts"]) for w in listed] == [("1", 1)]

    runtime.clock.advance(timedelta(minutes=5))
    ended = client.post("/api/v1/maintenance/1/end", json={"person": "kim"}, headers=auth)
    runtime.engine.tick()

    assert ended.status_code == 200 and ended.json["released"] == 1
    assert ended.json["window"]["state"] == "ended" and ended.json["window"]["ended_at"]
    assert paged(notifier, runtime) == 1
    assert client.get("/api/v1/maintenance", headers=auth).json["windows"] == []
    assert [w["id"] for w in client.get("/api/v1/maintenance?all=true", headers=auth).json["windows"]] == [
        "1"
    ]
    shown = client.get(f"/api/v1/alerts/{alert}", headers=auth).json
    assert shown["maintenance"]["window"] == "1" and shown["maintenance"]["held"] is True
    assert shown["maintenance"]["until"] == "2026-03-03T02:05:00+00:00"  # moved to the early end


def test_ending_twice_is_a_409(client, auth):
    client.post("/api/v1/maintenance", json=START, headers=auth)
    assert client.post("/api/v1/maintenance/1/end", headers=auth).status_code == 200

    again = client.post("/api/v1/maintenance/1/end", headers=auth)

    assert again.status_code == 409 and "already ended" in again.json["error"]


def test_a_yaml_window_is_listed_and_cannot_be_ended(client, auth, runtime, config_path):
    config_path.write_text(config_path.read_text() + YAML_WINDOW)
    runtime.config_store.reload()

    listed = client.get("/api/v1/maintenance", headers=auth).json["windows"]
    ended = client.post("/api/v1/maintenance/yaml:0/end", headers=auth)

    assert [(w["id"], w["source"], w["match_all"]) for w in listed] == [("yaml:0", "yaml", True)]
    assert ended.status_code == 409 and "edit its `to`" in ended.json["error"]


def test_without_a_token_nothing_changes(client, auth):
    assert client.post("/api/v1/maintenance", json=START).status_code == 401
    assert client.get("/api/v1/maintenance").status_code == 401
    assert client.post("/api/v1/maintenance/1/end").status_code == 401
    assert client.get("/api/v1/maintenance", headers=auth).json["windows"] == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        pytest.param({"duration": "2h", "reason": "x"}, 400, "match", id="no labels"),
        pytest.param({"match": {}, "duration": "2h", "reason": "x"}, 400, "match", id="empty labels"),
        pytest.param({**START, "match_all": True}, 400, "match", id="labels and match_all"),
        pytest.param({"match": {"a": "b"}, "reason": "x"}, 400, "duration", id="no end"),
        pytest.param({**START, "ends_at": "2026-03-03T05:00:00Z"}, 400, "duration", id="both ends"),
        pytest.param({**START, "duration": "0m"}, 400, "ends_at", id="empty"),
        pytest.param({**START, "duration": "2x"}, 400, "duration", id="bad duration"),
        pytest.param(
            {**START, "ends_at": "2026-03-03T01:00:00Z", "duration": None}, 400, "ends_at", id="past"
        ),
        pytest.param({**START, "reason": " "}, 400, "reason", id="blank reason"),
        pytest.param({**START, "reason": "x" * 301}, 400, "reason", id="long reason"),
        pytest.param({**START, "match": {"a": "b" * 301}}, 400, "match.a", id="long value"),
        pytest.param({**START, "person": "nobody"}, 400, "person", id="unknown person"),
        pytest.param({**START, "matchh": {}}, 400, "matchh", id="unknown field"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_stores_nothing(client, auth, body, status, field):
    response = client.post("/api/v1/maintenance", json=body, headers=auth)

    assert response.status_code == status, response.json
    assert response.json["field"] == field and response.json["error"]
    assert client.get("/api/v1/maintenance?all=true", headers=auth).json["windows"] == []


@pytest.mark.parametrize("window_id", ["7", "0", "abc", "yaml:9", "9" * 30])
def test_ending_an_unknown_window_is_a_404(client, auth, window_id):
    response = client.post(f"/api/v1/maintenance/{window_id}/end", headers=auth)
    assert response.status_code == 404 and "no maintenance window" in response.json["error"]


def test_the_alert_pages_show_the_window(client, auth, runtime):
    client.post("/api/v1/maintenance", json=START, headers=auth)
    held = fire(runtime, "DiskFull", service="payments-db")[0]
    other = fire(runtime, "HighErrorRate", service="checkout")[0]

    listing = client.get("/alerts").get_data(as_text=True)
    page = client.get(f"/alerts/{held}").get_data(as_text=True)

    assert f'data-testid="maintenance-{held}"' in listing
    assert f'data-testid="maintenance-{other}"' not in listing
    assert "In maintenance window 1 (DB migration): not paged until" in listing
    assert "Arrived in maintenance window 1 (DB migration)" in page and "pages then if still firing" in page
    assert (
        client.get("/api/v1/alerts", headers=auth).json["alerts"][0]["maintenance"] is None
    )  # newest: other
