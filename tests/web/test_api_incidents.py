"""The incidents API: declare, roles, updates, notes, postmortem, action items, metrics, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

API = "/api/v1/incidents"


@pytest.fixture
def alert_id(client, auth) -> int:
    body = {"rule": "HighErrorRate", "severity": "critical", "labels": {"team": "payments"}}
    return client.post("/api/v1/alerts", json=body, headers=auth).json["created"][0]


def declare(client, auth, **fields) -> dict:
    body = {"title": "Payment API error rate 45%", "severity": "SEV-1", **fields}
    response = client.post(API, json=body, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def test_declare_answers_the_incident_with_its_roles_alerts_and_team(client, auth, alert_id, clock):
    incident = declare(client, auth, alert_ids=[alert_id], roles={"commander": "kim", "sme": "lee"})

    assert incident["number"] == f"INC-{incident['id']}"
    assert (incident["status"], incident["severity"], incident["team"]) == (
        "Investigating",
        "SEV-1",
        "payments",
    )
    assert incident["declared_at"] == clock.now().isoformat()
    assert incident["declared_by"] == "token:tests"
    assert incident["alert_ids"] == [alert_id]
    assert {r: h["person"] for r, h in incident["roles"].items()} == {"commander": "kim", "sme": "lee"}
    assert incident["roles"]["commander"]["name"] == "Kim"
    assert incident["next_update_due_at"] == (clock.now() + timedelta(minutes=15)).isoformat()


def test_get_has_the_timeline_in_time_order_and_the_action_items(client, auth, clock):
    incident = declare(client, auth, roles={"commander": "kim"})
    clock.advance(timedelta(minutes=2))
    note = client.post(
        f"{API}/{incident['id']}/notes", json={"text": "db at 100% CPU", "person": "lee"}, headers=auth
    )
    assert note.status_code == 201
    item = {"title": "add an index check", "owner": "lee", "due": "2026-03-10", "priority": "P1"}
    assert client.post(f"{API}/{incident['id']}/action-items", json=item, headers=auth).status_code == 201

    body = client.get(f"{API}/{incident['id']}", headers=auth).json

    times = [row["at"] for row in body["timeline"]]
    assert times == sorted(times)
    kinds = [row["kind"] for row in body["timeline"]]
    assert kinds[:2] == ["declared", "role"] and kinds[-1] == "note"  # (the role's page is noted between)
    assert body["timeline"][-1]["actor"] == "Lee" and "db at 100% CPU" in body["timeline"][-1]["text"]
    assert [(i["title"], i["owner"], i["priority"], i["done"]) for i in body["action_items"]] == [
        ("add an index check", "lee", "P1", False)
    ]


def test_roles_from_a_rotation_go_to_whoever_is_on_call_now(client, auth):
    incident = declare(client, auth)
    response = client.put(
        f"{API}/{incident['id']}/roles", json={"scribe": {"rotation": "payments"}, "sme": "lee"}, headers=auth
    )
    assert response.status_code == 200, response.json
    roles = response.json["roles"]
    assert (roles["scribe"]["person"], roles["scribe"]["source"]) == ("kim", "rotation payments")
    assert roles["sme"]["person"] == "lee"
    # any subset: the next PUT changes only what it names
    again = client.put(f"{API}/{incident['id']}/roles", json={"sme": "park"}, headers=auth).json["roles"]
    assert (again["scribe"]["person"], again["sme"]["person"]) == ("kim", "park")


def test_status_updates_move_forward_and_say_when_the_next_is_due(client, auth, clock):
    incident = declare(client, auth)
    url = f"{API}/{incident['id']}/updates"
    update = {"status": "Identified", "impact": "checkout down", "next_update_in": "10m"}

    posted = client.post(url, json=update, headers=auth)

    assert posted.status_code == 201, posted.json
    assert posted.json["status"] == "Identified"
    assert posted.json["next_update_due_at"] == (clock.now() + timedelta(minutes=10)).isoformat()
    back = client.post(url, json={"status": "Investigating", "impact": "x"}, headers=auth)
    assert back.status_code == 409
    assert "from Identified to Investigating" in back.json["error"]
    assert "Identified, Monitoring, Resolved, Post-Incident" in back.json["error"]
    assert back.json["field"] == "status"
    for status in ("Monitoring", "Identified", "Resolved"):  # Monitoring may return to Identified
        assert client.post(url, json={"status": status, "impact": "x"}, headers=auth).status_code == 201
    done = client.get(f"{API}/{incident['id']}", headers=auth).json
    assert (done["status"], done["next_update_due_at"]) == ("Resolved", None)
    assert done["resolved_at"] == clock.now().isoformat()


def test_the_open_list_leaves_out_resolved_incidents(client, auth):
    resolved = declare(client, auth, title="old")
    client.post(
        f"{API}/{resolved['id']}/updates", json={"status": "Resolved", "impact": "none"}, headers=auth
    )
    current = declare(client, auth, title="new")
    assert [i["id"] for i in client.get(API, headers=auth).json["incidents"]] == [current["id"]]
    everything = client.get(f"{API}?status=all", headers=auth).json
    assert ([i["id"] for i in everything["incidents"]], everything["total"]) == (
        [current["id"], resolved["id"]],
        2,
    )


def test_alerts_attach_once(client, auth, alert_id):
    incident = declare(client, auth)
    url = f"{API}/{incident['id']}/alerts"
    assert client.post(url, json={"alert_ids": [alert_id]}, headers=auth).json["alert_ids"] == [alert_id]
    assert client.post(url, json={"alert_ids": [alert_id]}, headers=auth).json["alert_ids"] == [alert_id]
    detail = client.get(f"{API}/{incident['id']}", headers=auth).json
    assert [row["kind"] for row in detail["timeline"]].count("alert") == 1


def test_postmortem_is_markdown_and_a_saved_draft_is_returned_later(client, auth):
    incident = declare(client, auth, roles={"commander": "kim"})
    url = f"{API}/{incident['id']}/postmortem"

    draft = client.get(url, headers=auth)
    assert draft.status_code == 200
    assert draft.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert "Payment API error rate 45%" in draft.text and "## Timeline" in draft.text

    edited = draft.text.replace("## Impact", "## Impact\n\nAll card payments failed — 한국어 ok.")
    saved = client.put(url, data=edited.encode(), headers={**auth, "Content-Type": "text/markdown"})
    assert saved.status_code == 200, saved.data
    assert client.get(url, headers=auth).text == edited
    assert "Postmortem draft saved" in str(
        client.get(f"{API}/{incident['id']}", headers=auth).json["timeline"]
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        pytest.param(b"x" * 200_001, "text/markdown", 413, id="over 200 KB"),
        pytest.param(b'{"text": "x"}', "application/json", 415, id="JSON"),
        pytest.param(b"\xff\xfe bad", "text/markdown", 400, id="not UTF-8"),
        pytest.param(b"a\x00b", "text/markdown", 400, id="NUL"),
        pytest.param(b"   \n", "text/markdown", 400, id="blank"),
    ],
)
def test_a_bad_postmortem_is_refused_and_nothing_saved(client, auth, body, content_type, status):
    incident = declare(client, auth)
    url = f"{API}/{incident['id']}/postmortem"
    before = client.get(url, headers=auth).text

    response = client.put(url, data=body, headers={**auth, "Content-Type": content_type})

    assert response.status_code == status, response.data
    assert response.json["error"]
    assert client.get(url, headers=auth).text == before


def test_action_items_open_overdue_and_done(client, auth, clock):
    incident = declare(client, auth)
    url = f"{API}/{incident['id']}/action-items"
    late = client.post(
        url, json={"title": "a", "owner": "lee", "due": "2026-03-02", "priority": "P1"}, headers=auth
    )
    later = client.post(
        url, json={"title": "b", "owner": "kim", "due": "2026-03-30", "priority": "P2"}, headers=auth
    )
    assert (late.status_code, later.status_code) == (201, 201)
    assert late.json["overdue"] is True and later.json["overdue"] is False

    def listed(state: str) -> list[int]:
        return [
            i["id"]
            for i in client.get(f"/api/v1/action-items?state={state}", headers=auth).json["action_items"]
        ]

    assert listed("overdue") == [late.json["id"]]
    assert listed("open") == [late.json["id"], later.json["id"]]
    clock.advance(timedelta(days=28))  # 2026-03-31 in Seoul: the second is overdue too
    assert listed("overdue") == [late.json["id"], later.json["id"]]

    done = client.patch(
        f"/api/v1/action-items/{late.json['id']}", json={"done": True, "person": "lee"}, headers=auth
    )
    assert (done.status_code, done.json["done"], done.json["done_by"]) == (200, True, "lee")
    assert listed("overdue") == [later.json["id"]]
    assert listed("all") == [late.json["id"], later.json["id"]]


def test_metrics_measure_from_the_recorded_moments(client, auth, clock):
    body = {"rule": "HighErrorRate", "severity": "critical", "labels": {"team": "payments"}}
    alert = client.post("/api/v1/alerts", json=body, headers=auth).json["created"][0]
    clock.advance(timedelta(minutes=4))
    incident = declare(client, auth, alert_ids=[alert], roles={"commander": "kim"})
    clock.advance(timedelta(minutes=10))
    client.post(f"{API}/{incident['id']}/updates", json={"status": "Monitoring", "impact": "x"}, headers=auth)

    measured = client.get(f"{API}/metrics?since=7d", headers=auth)

    assert measured.status_code == 200, measured.json
    overall = measured.json["overall"]
    assert (overall["count"], overall["mtta_seconds"], overall["mttm_seconds"]) == (1, 240.0, 600.0)
    assert overall["mttr_seconds"] is None and overall["mttd_seconds"] is None
    assert measured.json["by_severity"]["SEV-1"]["count"] == 1
    assert measured.json["by_team"]["payments"]["count"] == 1


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "field"),
    [
        pytest.param("post", API, {"title": "x", "severity": "SEV-5"}, 400, "severity", id="severity"),
        pytest.param("post", API, {"title": " ", "severity": "SEV-1"}, 400, "title", id="blank title"),
        pytest.param("post", API, {"title": "x" * 301, "severity": "SEV-1"}, 400, "title", id="long title"),
        pytest.param(
            "post", API, {"title": "x", "severity": "SEV-1", "sev": 1}, 400, "sev", id="unknown field"
        ),
        pytest.param(
            "post",
            API,
            {"title": "x", "severity": "SEV-1", "alert_ids": [999]},
            422,
            "alert_ids",
            id="unknown alert",
        ),
        pytest.param(
            "post",
            API,
            {"title": "x", "severity": "SEV-1", "roles": {"commander": "kym"}},
            422,
            "roles.commander",
            id="unknown person",
        ),
        pytest.param(
            "post",
            API,
            {"title": "x", "severity": "SEV-1", "impact_started_at": "2027-01-01T00:00:00Z"},
            400,
            "impact_started_at",
            id="impact in the future",
        ),
        pytest.param(
            "post",
            API,
            {"title": "x", "severity": "SEV-1", "person": "nobody"},
            400,
            "person",
            id="unknown actor",
        ),
        pytest.param(
            "put", f"{API}/1/roles", {"sme": {"rotation": "nope"}}, 422, "roles.sme", id="unknown rotation"
        ),
        pytest.param("put", f"{API}/1/roles", {"pilot": "kim"}, 400, "pilot", id="unknown role"),
        pytest.param(
            "post", f"{API}/1/updates", {"status": "Done", "impact": "x"}, 400, "status", id="unknown status"
        ),
        pytest.param("post", f"{API}/1/updates", {"status": "Identified"}, 400, "impact", id="no impact"),
        pytest.param(
            "post",
            f"{API}/1/updates",
            {"status": "Identified", "impact": "x", "next_update_in": "soon"},
            400,
            "next_update_in",
            id="bad duration",
        ),
        pytest.param(
            "post",
            f"{API}/1/updates",
            {"status": "Identified", "impact": "x", "next_update_in": "0m"},
            400,
            "next_update_in",
            id="zero duration",
        ),
        pytest.param("post", f"{API}/1/notes", {"text": ""}, 400, "text", id="empty note"),
        pytest.param(
            "post",
            f"{API}/1/action-items",
            {"title": "t", "owner": "kim", "due": "27 March", "priority": "P1"},
            400,
            "due",
            id="bad due",
        ),
        pytest.param(
            "post",
            f"{API}/1/action-items",
            {"title": "t", "owner": "ghost", "due": "2026-03-27", "priority": "P1"},
            422,
            "owner",
            id="unknown owner",
        ),
        pytest.param(
            "post",
            f"{API}/1/action-items",
            {"title": "t", "owner": "kim", "due": "2026-03-27", "priority": "P0"},
            400,
            "priority",
            id="bad priority",
        ),
        pytest.param(
            "patch", "/api/v1/action-items/1", {"done": "yes"}, 400, "done", id="done not a boolean"
        ),
        pytest.param("get", f"{API}?status=closed", None, 400, "status", id="bad list status"),
        pytest.param("get", f"{API}/metrics?since=forever", None, 400, "since", id="bad since"),
        pytest.param("get", "/api/v1/action-items?state=late", None, 400, "state", id="bad state"),
    ],
)
def test_bad_input_is_a_clear_4xx_naming_the_field_and_changes_nothing(
    client, auth, method, url, body, status, field
):
    incident = declare(client, auth, roles={"commander": "kim"})
    client.post(
        f"{API}/1/action-items",
        json={"title": "t", "owner": "kim", "due": "2026-03-27", "priority": "P1"},
        headers=auth,
    )
    before = client.get(f"{API}/{incident['id']}", headers=auth).json

    response = (
        getattr(client, method)(url, json=body, headers=auth)
        if body is not None
        else client.get(url, headers=auth)
    )

    assert response.status_code == status, response.json
    assert response.json.get("field") == field, response.json
    assert client.get(f"{API}/{incident['id']}", headers=auth).json == before
    assert client.get(f"{API}?status=all", headers=auth).json["total"] == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"{API}/9"),
        ("post", f"{API}/9/notes"),
        ("get", f"{API}/9/postmortem"),
        ("patch", "/api/v1/action-items/9"),
    ],
)
def test_an_unknown_incident_or_item_is_a_404_naming_it(client, auth, method, url):
    bodies = {"notes": {"text": "x"}, "action-items": {"done": True}}
    body = next((b for k, b in bodies.items() if k in url), None)
    response = getattr(client, method)(url, json=body, headers=auth)
    assert response.status_code == 404
    assert response.json["error"] in ("no incident INC-9", "no action item 9")


def test_no_answer_carries_a_phone_number(client, auth, alert_id, runtime):
    incident = declare(
        client, auth, alert_ids=[alert_id], roles={"commander": "kim", "scribe": {"rotation": "payments"}}
    )
    client.post(
        f"{API}/{incident['id']}/notes", json={"text": "called Kim on +82 10-1234-5601"}, headers=auth
    )
    answers = [
        client.get(f"{API}/{incident['id']}", headers=auth).get_data(as_text=True),
        client.get(API, headers=auth).get_data(as_text=True),
        client.get(f"{API}/{incident['id']}/postmortem", headers=auth).get_data(as_text=True),
    ]
    digits = [p.phone.replace(" ", "").replace("-", "") for p in runtime.config.people.values()]
    for text in answers:
        flat = text.replace(" ", "").replace("-", "")
        assert not any(number in flat or number.lstrip("+") in flat for number in digits), text[:500]
