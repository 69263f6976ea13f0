"""GET /api/v1/oncall and the overrides API."""

from __future__ import annotations

import pytest

from oncall.tokens.service import revoke_token


def test_oncall_names_the_person_their_window_and_every_level(client, auth):
    body = client.get("/api/v1/oncall?at=2026-03-03T02:00:00Z", headers=auth).json
    payments = body["rotations"]["payments"]
    assert payments["person"] == "kim"
    assert payments["since"] == "2026-03-02T01:00:00+00:00"  # Monday 10:00 KST
    assert payments["until"] == "2026-03-09T01:00:00+00:00"
    assert payments["next"]["person"] == "lee"
    levels = body["escalations"]["payments"]
    assert [[p["person"] for p in lvl["people"]] for lvl in levels] == [["kim"], ["choi"], ["jung"]]
    assert [lvl["after_seconds"] for lvl in levels] == [0, 900, 1800]


def test_oncall_reflects_yaml_override(client, auth):
    # config/oncall.yaml: Lee covers 2026-03-20 18:00 to 03-21 09:00 KST (Lee's own week, so
    # check the week of Park instead by an API override below); here: the YAML one is Lee.
    body = client.get("/api/v1/oncall?at=2026-03-20T10:00:00Z", headers=auth).json
    assert body["rotations"]["payments"]["person"] == "lee"


def test_override_created_by_api_changes_who_and_can_be_deleted(client, auth):
    created = client.post(
        "/api/v1/overrides",
        json={
            "rotation": "payments",
            "person": "park",
            "start": "2026-03-03T00:00:00Z",
            "end": "2026-03-03T06:00:00Z",
            "reason": "swap",
        },
        headers=auth,
    )
    assert created.status_code == 201
    at = "/api/v1/oncall?at=2026-03-03T02:00:00Z"
    now = client.get(at, headers=auth).json["rotations"]["payments"]
    assert (now["person"], now["kind"], now["replaces"]) == ("park", "override", "kim")
    assert client.get("/api/v1/overrides", headers=auth).json["overrides"][0]["person"] == "park"
    assert client.delete(f"/api/v1/overrides/{created.json['id']}", headers=auth).status_code == 204
    assert client.get(at, headers=auth).json["rotations"]["payments"]["person"] == "kim"
    assert client.delete(f"/api/v1/overrides/{created.json['id']}", headers=auth).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        (
            {
                "rotation": "nope",
                "person": "kim",
                "start": "2026-03-03T00:00:00Z",
                "end": "2026-03-03T01:00:00Z",
            },
            "rotation",
        ),
        (
            {
                "rotation": "payments",
                "person": "pakr",
                "start": "2026-03-03T00:00:00Z",
                "end": "2026-03-03T01:00:00Z",
            },
            "person",
        ),
        (
            {
                "rotation": "payments",
                "person": "kim",
                "start": "2026-03-03T02:00:00Z",
                "end": "2026-03-03T01:00:00Z",
            },
            "end",
        ),
        (
            {
                "rotation": "payments",
                "person": "kim",
                "start": "2026-03-03 02:00",
                "end": "2026-03-03T03:00:00Z",
            },
            "start",
        ),
        (
            {"rotation": "payments", "person": "kim", "start": "yesterday", "end": "2026-03-03T03:00:00Z"},
            "start",
        ),
        ({"rotation": "payments", "person": "kim", "end": "2026-03-03T03:00:00Z"}, "start"),
        (
            {
                "rotation": "payments",
                "person": "lee",
                "start": "2026-03-20T10:00:00Z",
                "end": "2026-03-20T11:00:00Z",
            },
            "start",
        ),
    ],
    ids=[
        "unknown rotation",
        "unknown person",
        "inverted window",
        "naive time",
        "not a time",
        "missing start",
        "overlaps a YAML override",
    ],
)
def test_bad_override_is_refused_with_the_field(client, auth, body, field):
    response = client.post("/api/v1/overrides", json=body, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == field
    assert client.get("/api/v1/overrides", headers=auth).json["overrides"] == []


def test_the_api_needs_a_token(client):
    assert client.get("/api/v1/oncall").status_code == 401
    bad = client.get("/api/v1/oncall", headers={"Authorization": "Bearer oc_not-a-real-token"})
    assert bad.status_code == 401
    assert client.post("/api/v1/overrides", json={}).status_code == 401


def test_revoked_token_is_refused(client, auth, runtime, token):
    assert client.get("/api/v1/oncall", headers=auth).status_code == 200
    with runtime.db.session() as session:
        revoke_token(session, "tests", runtime.clock.now())
    assert client.get("/api/v1/oncall", headers=auth).status_code == 401


def test_health_and_readiness(client):
    health = client.get("/healthz").json
    assert health["status"] == "ok"
    assert health["config"]["status"] == "valid"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"] == {"database": "ok", "engine": "disabled"}
