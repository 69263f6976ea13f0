"""Bad input over HTTP gets a clear 4xx naming the field, never a 500, and changes nothing.

Each case was found by fuzzing the API (tests/integration/test_schemathesis.py) or by reading
it; before the payload models each one answered 500, 200 or the wrong status.
"""

from __future__ import annotations

import pytest

from oncall.alerts.models import AlertEvent
from oncall.tokens.service import TokenError, create_token
from tests.conftest import MONDAY_KIM

API = "/api/v1/alerts"
AM = "/api/v1/alerts/alertmanager"
BEYOND_64_BITS = str(2**64)


def am_payload(starts_at: str) -> dict:
    alert = {
        "status": "firing",
        "labels": {"alertname": "X", "team": "payments"},
        "startsAt": starts_at,
        "fingerprint": "f1",
    }
    return {"version": "4", "alerts": [alert]}


def stored(client, auth) -> int:
    return len(client.get(f"{API}?status=all", headers=auth).json["alerts"])


@pytest.fixture
def alert_id(client, auth) -> int:
    response = client.post(API, json={"rule": "HighErrorRate", "labels": {"team": "payments"}}, headers=auth)
    assert response.status_code == 201, response.json
    return response.json["created"][0]


def timeline_kinds(client, auth, alert_id: int) -> list[str]:
    return [e["kind"] for e in client.get(f"{API}/{alert_id}", headers=auth).json["timeline"]]


# --- bodies --------------------------------------------------------------------------------

NESTED_10000 = '{"rule": "X", "details": ' + "[" * 10_000 + "]" * 10_000 + "}"
NESTED_40 = '{"rule": "X", "details": ' + "[" * 40 + "]" * 40 + "}"

BAD_BODIES = [
    # (path, raw body, field named, words in the message)
    pytest.param(API, NESTED_10000, "body", "not valid JSON", id="JSON nested 10,000 deep"),
    pytest.param(API, NESTED_40, "details", "nested more than 32 deep", id="details nested 40 deep"),
    pytest.param(API, '{"rule": "X\\ud800"}', "body", "not valid JSON", id="lone surrogate"),
    pytest.param(API, '{"rule": "X\\u0000"}', "rule", "NUL", id="NUL character"),
    pytest.param(API, '{"rule": "   "}', "rule", "blank", id="blank rule"),
    pytest.param(API, '{"rule": "' + "x" * 301 + '"}', "rule", "longer than 300", id="rule too long"),
    pytest.param(
        API,
        '{"rule": "X", "labels": {' + ",".join(f'"k{i}": "v"' for i in range(65)) + "}}",
        "labels",
        "more than 64",
        id="too many labels",
    ),
    pytest.param(
        API,
        '{"rule": "X", "labels": {"team": "' + "v" * 4097 + '"}}',
        "labels.team",
        "longer than 4096",
        id="label value too long",
    ),
    pytest.param(
        AM,
        '{"alerts": [{"status": "firing", "labels": {}, "fingerprint": "f", "startsAt": "0001-01-01T00:00:00Z"}]}',
        "alerts[0].startsAt",
        "years 2000 to 2199",
        id="startsAt in year 1",
    ),
    pytest.param(
        AM,
        '{"alerts": [{"status": "firing", "labels": {}, "fingerprint": "f", "startsAt": "9999-12-31T23:00:00-05:00"}]}',
        "alerts[0].startsAt",
        "years 2000 to 2199",
        id="startsAt in year 9999",
    ),
    pytest.param(API, "", "body", "not valid JSON", id="empty body"),
]


@pytest.mark.parametrize(("path", "body", "field", "words"), BAD_BODIES)
def test_bad_body_is_400_naming_the_field_and_nothing_is_stored(client, auth, path, body, field, words):
    before = stored(client, auth)

    response = client.post(path, data=body.encode(), headers={**auth, "Content-Type": "application/json"})

    assert response.status_code == 400, response.data
    assert response.json["field"] == field
    assert words in response.json["error"]
    assert stored(client, auth) == before


def test_a_good_alert_with_details_nested_30_deep_is_stored(client, auth):
    """The control for the depth case: the limit is 32, not lower."""
    body = '{"rule": "Deep", "labels": {"team": "payments"}, "details": ' + "[" * 30 + "]" * 30 + "}"
    response = client.post(API, data=body, headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 201, response.json


# --- query arguments and paths -------------------------------------------------------------

BAD_QUERIES = [
    pytest.param(f"{API}?limit=abc", "limit", "must be an integer", id="limit not a number"),
    pytest.param(f"{API}?limit=0", "limit", "at least 1", id="limit zero"),
    pytest.param(f"{API}?limit=-1", "limit", "at least 1", id="negative limit (SQLite: no limit)"),
    pytest.param(f"{API}?status=open&status=all", "status", "more than once", id="argument given twice"),
    pytest.param(f"{API}?stauts=all", "stauts", "unknown field", id="misspelt argument"),
    pytest.param("/api/v1/oncall?at=9999-12-31T23:00:00-05:00", "at", "years 2000 to 2199", id="at in 9999"),
    pytest.param("/api/v1/oncall?at=0001-01-01T00:00:00Z", "at", "years 2000 to 2199", id="at in year 1"),
    pytest.param("/api/v1/oncall?at=2026-03-03T02:00:00", "at", "RFC 3339", id="at without zone"),
    pytest.param("/api/v1/audit/report?since=99999999d", "since", "must match", id="since 99999999d"),
    pytest.param("/api/v1/audit/report?format=xml", "format", "'json' or 'csv'", id="unknown format"),
]


@pytest.mark.parametrize(("url", "field", "words"), BAD_QUERIES)
def test_bad_query_argument_is_400_naming_it(client, auth, url, field, words):
    response = client.get(url, headers=auth)

    assert response.status_code == 400, response.data
    assert response.json["field"] == field
    assert words in response.json["error"]


def test_limit_above_the_maximum_is_clamped_not_refused(client, auth, alert_id):
    response = client.get(f"{API}?limit=99999999999999999999999", headers=auth)
    assert response.status_code == 200
    assert [a["id"] for a in response.json["alerts"]] == [alert_id]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        pytest.param("GET", f"{API}/{BEYOND_64_BITS}", id="alert id beyond 64 bits"),
        pytest.param("POST", f"{API}/{BEYOND_64_BITS}/ack", id="action on an id beyond 64 bits"),
        pytest.param("GET", f"{API}/0", id="alert id 0"),
        pytest.param("DELETE", f"/api/v1/overrides/{BEYOND_64_BITS}", id="override id beyond 64 bits"),
        pytest.param("DELETE", "/api/v1/overrides/4242", id="unknown override"),
    ],
)
def test_ids_that_name_nothing_are_404(client, auth, method, url):
    response = client.open(url, method=method, headers=auth)
    assert response.status_code == 404, response.data
    assert "error" in response.json


def test_405_names_the_allowed_methods(client, auth):
    response = client.put(API, headers=auth)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert "GET" in client.delete("/api/v1/oncall", headers=auth).headers["Allow"].split(", ")


# --- acting on an alert (item 4: acting as anyone) -----------------------------------------


def test_action_by_an_unknown_person_is_400_and_not_recorded(client, auth, alert_id):
    response = client.post(f"{API}/{alert_id}/ack", json={"person": "mallory"}, headers=auth)

    assert response.status_code == 400
    assert response.json["field"] == "person"
    assert "unknown person 'mallory'" in response.json["error"]
    assert "acknowledged" not in timeline_kinds(client, auth, alert_id)
    assert client.get(f"{API}/{alert_id}", headers=auth).json["status"] == "triggered"


@pytest.mark.parametrize(
    "person", [5, ["kim"], {"name": "kim"}, True], ids=["number", "list", "object", "bool"]
)
def test_action_with_a_person_of_the_wrong_type_is_400(client, auth, alert_id, person):
    response = client.post(f"{API}/{alert_id}/ack", json={"person": person}, headers=auth)

    assert response.status_code == 400
    assert response.json["field"] == "person"
    assert "must be a string" in response.json["error"]


def test_action_by_a_configured_person_is_recorded_under_their_key(client, auth, alert_id):
    response = client.post(f"{API}/{alert_id}/ack", json={"person": "kim"}, headers=auth)
    assert response.status_code == 200
    assert response.json["alert"]["acked_by"] == "kim"


def test_action_without_a_person_is_recorded_as_the_token(client, auth, alert_id, token):
    response = client.post(f"{API}/{alert_id}/ack", headers=auth)
    assert response.status_code == 200
    assert response.json["alert"]["acked_by"].startswith("token:")


@pytest.mark.parametrize(
    ("url", "body"),
    [
        pytest.param("{alert}/ack", '{"person": "kim",', id="action"),
        pytest.param("/api/v1/overrides", '{"rotation": "payments",', id="override"),
        pytest.param("/api/v1/audit/rules/HighErrorRate/pin", '{"by": "choi",', id="audit pin"),
    ],
)
def test_malformed_json_body_is_400_not_an_empty_object(client, auth, alert_id, url, body):
    url = url.format(alert=f"{API}/{alert_id}")

    response = client.post(url, data=body, headers={**auth, "Content-Type": "application/json"})

    assert response.status_code == 400, response.data
    assert response.json["field"] == "body"
    assert "not valid JSON" in response.json["error"]
    assert "acknowledged" not in timeline_kinds(client, auth, alert_id)


def test_override_in_year_9999_is_400_naming_the_field(client, auth):
    body = {
        "rotation": "payments",
        "person": "park",
        "start": "2026-03-03T00:00:00Z",
        "end": "9999-12-31T23:00:00Z",
    }
    response = client.post("/api/v1/overrides", json=body, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == "end"
    assert client.get("/api/v1/overrides", headers=auth).json["overrides"] == []


def test_no_api_answer_carries_a_phone_number(client, auth, alert_id):
    """The on-call picture, alerts and timelines name people, never their numbers."""
    answers = [
        client.get(f"/api/v1/oncall?at={MONDAY_KIM.isoformat().replace('+00:00', 'Z')}", headers=auth).data,
        client.get(f"{API}?status=all", headers=auth).data,
        client.get(f"{API}/{alert_id}", headers=auth).data,
    ]
    for body in answers:
        assert b"+82" not in body and b"010-" not in body and b"10-1234" not in body


def test_a_number_quoted_in_a_timeline_detail_is_masked_in_the_api(client, auth, alert_id, runtime):
    with runtime.db.session() as session:
        session.add(
            AlertEvent(
                alert_id=alert_id,
                at=MONDAY_KIM,
                kind="failed",
                person="kim",
                channel="sms",
                detail="Twilio 21610: +821012345601 is unsubscribed",
            )
        )
    body = client.get(f"{API}/{alert_id}", headers=auth).json
    details = [event["detail"] for event in body["timeline"] if event["kind"] == "failed"]
    assert details == ["Twilio 21610: +82 10-****-5601 is unsubscribed"]


def test_overriding_the_auditor_as_an_unknown_person_is_400(client, auth):
    response = client.post("/api/v1/audit/rules/HighErrorRate/pin", json={"by": "mallory"}, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == "by"
    assert "unknown person 'mallory'" in response.json["error"]
    assert (
        client.post("/api/v1/audit/rules/HighErrorRate/pin", json={"by": "choi"}, headers=auth).status_code
        == 200
    )


def test_a_rule_name_longer_than_its_column_is_stored_under_a_stable_short_name(client, auth):
    """An alertname of 4,000 characters is accepted (Alertmanager would not resend a 4xx) and kept
    under one rule identity that fits the database column (PostgreSQL refuses longer strings)."""
    long_name = "A" * 4000
    for fingerprint in ("f1", "f2"):
        payload = am_payload("2026-03-03T02:00:00Z")
        payload["alerts"][0]["labels"]["alertname"] = long_name
        payload["alerts"][0]["fingerprint"] = fingerprint
        assert client.post(AM, json=payload, headers=auth).status_code == 201
    rules = {alert["rule"] for alert in client.get(f"{API}?status=all", headers=auth).json["alerts"]}
    assert len(rules) == 1
    (rule,) = rules
    assert len(rule) <= 300 and rule.startswith("A" * 200)


def test_a_runbook_annotation_longer_than_a_link_is_kept_but_not_linked(client, auth):
    long_url = "https://runbooks.example/" + "x" * 2000
    payload = am_payload("2026-03-03T02:00:00Z")
    payload["alerts"][0]["annotations"] = {"runbook_url": long_url}
    assert client.post(AM, json=payload, headers=auth).status_code == 201
    (alert,) = client.get(f"{API}?status=all", headers=auth).json["alerts"]
    assert alert["runbook_url"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(
            {"rule": "X", "runbook_url": "https://r.example/" + "x" * 1000}, "runbook_url", id="runbook"
        ),
    ],
)
def test_values_wider_than_their_column_are_400_not_a_storage_error(client, auth, body, field):
    response = client.post(API, json=body, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == field


def test_an_override_reason_wider_than_its_column_is_400(client, auth):
    body = {
        "rotation": "payments",
        "person": "lee",
        "start": "2026-03-20T09:00:00Z",
        "end": "2026-03-20T18:00:00Z",
        "reason": "r" * 301,
    }
    response = client.post("/api/v1/overrides", json=body, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == "reason"


def test_a_token_named_at_the_limit_can_act_and_one_past_it_is_refused(client, runtime):
    """An action without `person` is recorded as `token:<name>`: the longest name must fit the
    actor columns (PostgreSQL refuses a longer value with a storage error)."""
    with runtime.db.session() as session:
        with pytest.raises(TokenError, match="at most 64"):
            create_token(session, "t" * 65, MONDAY_KIM)
        token = create_token(session, "t" * 64, MONDAY_KIM)
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post(
        API, json={"rule": "HighErrorRate", "labels": {"team": "payments"}}, headers=headers
    )
    alert_id = created.json["created"][0]
    response = client.post(f"{API}/{alert_id}/ack", json={}, headers=headers)
    assert response.status_code == 200
    assert response.json["alert"]["acked_by"] == "token:" + "t" * 64


def test_a_rule_key_wider_than_its_column_is_400_when_overriding_the_auditor(client, auth):
    assert (
        client.post(f"/api/v1/audit/rules/{'r' * 300}/pin", json={"by": "choi"}, headers=auth).status_code
        == 200
    )
    response = client.post(f"/api/v1/audit/rules/{'r' * 301}/pin", json={"by": "choi"}, headers=auth)
    assert response.status_code == 400
    assert response.json["field"] == "rule"
