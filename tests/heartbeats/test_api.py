"""POST /api/v1/heartbeats/<name> and GET /api/v1/heartbeats: token auth, 404 with a suggestion,
405 for other methods, the state as JSON."""

from __future__ import annotations

from datetime import timedelta

from tests.escalation.pager import Pager


def test_a_beat_needs_a_token(client):
    response = client.post("/api/v1/heartbeats/prometheus")
    assert response.status_code == 401
    response = client.post("/api/v1/heartbeats/prometheus", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_a_beat_answers_the_state(client, auth, clock):
    response = client.post("/api/v1/heartbeats/backup", headers=auth)
    assert response.status_code == 200
    body = response.json
    assert body["name"] == "backup" and body["state"] == "ok"
    assert body["beats"] == 1 and body["last_beat_source"] == "api"
    assert body["last_beat_at"] == clock.now().isoformat()
    assert body["due_by"] == (clock.now() + timedelta(hours=1)).isoformat()
    assert (body["every_seconds"], body["grace_seconds"]) == (3600, 0)


def test_a_body_is_ignored(client, auth):
    response = client.post("/api/v1/heartbeats/backup", headers=auth, json={"anything": [1, 2]})
    assert response.status_code == 200 and response.json["beats"] == 1


def test_an_unknown_name_is_a_404_with_a_suggestion(client, auth):
    response = client.post("/api/v1/heartbeats/prometheous", headers=auth)
    assert response.status_code == 404
    assert response.json == {"error": "no heartbeat `prometheous` — did you mean `prometheus`?"}
    assert client.get("/api/v1/heartbeats/nothing-like-it", headers=auth).status_code == 404


def test_other_methods_are_refused(client, auth):
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.open("/api/v1/heartbeats/backup", method=method, headers=auth)
        assert response.status_code == 405, method
        assert "error" in response.json


def test_the_list_shows_late_then_missing(pager: Pager, client, auth):
    client.post("/api/v1/heartbeats/backup", headers=auth)
    client.post("/api/v1/heartbeats/prometheus", headers=auth)

    def states():
        return {
            h["name"]: h["state"] for h in client.get("/api/v1/heartbeats", headers=auth).json["heartbeats"]
        }

    assert states() == {"backup": "ok", "prometheus": "ok"}
    pager.clock.advance(timedelta(seconds=60))
    assert states() == {"backup": "ok", "prometheus": "late"}
    pager.clock.advance(timedelta(seconds=30))
    assert states() == {"backup": "ok", "prometheus": "missing"}
    one = client.get("/api/v1/heartbeats/prometheus", headers=auth).json
    assert one["state"] == "missing" and one["missing_alert_id"] is None  # the engine opens it
    pager.tick()
    one = client.get("/api/v1/heartbeats/prometheus", headers=auth).json
    assert one["missing_alert_id"] == 1 and one["misses"] == 1


def test_a_configuration_without_heartbeats_lists_none(runtime, client, auth, config_path):
    config_path.write_text(config_path.read_text().split("\nheartbeats:")[0])
    runtime.config_store.check_for_change()
    assert client.get("/api/v1/heartbeats", headers=auth).json == {"heartbeats": []}
    response = client.post("/api/v1/heartbeats/prometheus", headers=auth)
    assert response.status_code == 404
    assert "the configuration has no `heartbeats`" in response.json["error"]
