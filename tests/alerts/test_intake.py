"""Payload parsing (pure) and ingestion through the API, in process."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from oncall.alerts.intake import parse_alertmanager, parse_generic, parse_grafana
from oncall.config.model import SeverityMap
from oncall.severity import classify
from oncall.web.errors import validation_answer

SEV_MAP = SeverityMap(
    "severity", (("critical", "SEV-1"), ("page", "SEV-2"), ("warning", "SEV-3"), ("info", "SEV-4")), "SEV-3"
)


def am_alert(**over):
    alert = {
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "team": "payments", "severity": "critical"},
        "annotations": {"summary": "error rate 45%", "runbook_url": "https://runbooks/x"},
        "startsAt": "2026-03-03T01:59:00.123456789Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "fingerprint": "abc123",
    }
    alert.update(over)
    return alert


def am_payload(*alerts):
    return {
        "version": "4",
        "status": "firing",
        "receiver": "oncall",
        "groupKey": "{}:{}",
        "alerts": list(alerts) or [am_alert()],
    }


def test_alertmanager_episode_is_fingerprint_plus_starts_at():
    [alert] = parse_alertmanager(am_payload())
    assert alert.dedup_key == "abc123@2026-03-03T01:59:00.123456+00:00"
    assert alert.summary == "error rate 45%"
    assert alert.runbook_url == "https://runbooks/x"
    assert alert.ends_at is None


@pytest.mark.parametrize(
    "payload, field",
    [
        ([], "body"),
        ({"version": "3", "alerts": []}, "version"),
        ({"version": "4"}, "alerts"),
        ({"version": "4", "alerts": {}}, "alerts"),
        (am_payload(am_alert(labels=None)), "alerts[0].labels"),
        (am_payload(am_alert(labels={"alertname": 5})), "alerts[0].labels.alertname"),
        (am_payload(am_alert(fingerprint=None)), "alerts[0].fingerprint"),
        (am_payload(am_alert(startsAt="yesterday")), "alerts[0].startsAt"),
        (am_payload(am_alert(startsAt="2026-03-03T01:59:00")), "alerts[0].startsAt"),
        (am_payload(am_alert(), am_alert(status="broken")), "alerts[1].status"),
    ],
    ids=[
        "list body",
        "old version",
        "no alerts",
        "alerts not a list",
        "no labels",
        "label not a string",
        "no fingerprint",
        "bad time",
        "time without zone",
        "second alert bad status",
    ],
)
def test_bad_alertmanager_payload_names_the_field(payload, field):
    with pytest.raises(ValidationError) as err:
        parse_alertmanager(payload)
    assert validation_answer(err.value)[0] == field


def test_grafana_rule_identity_is_rule_uid():
    payload = {"alerts": [am_alert(ruleUID="f3a9")]}
    [alert] = parse_grafana(payload)
    assert alert.rule == "f3a9" and alert.source == "grafana"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"dedup_key": "x"}, "rule"),
        ({"rule": 5}, "rule"),
        ({"rule": "X", "status": "open"}, "status"),
        ({"rule": "X", "labels": ["a"]}, "labels"),
        ({"rule": "X", "severity": 1}, "severity"),
        ({"rule": "X", "colour": "red"}, "colour"),
        ([{"rule": "X"}, {"rule": ""}], "[1].rule"),
    ],
    ids=[
        "missing rule",
        "rule not a string",
        "bad status",
        "labels not an object",
        "severity not a string",
        "unknown field",
        "second of a list empty",
    ],
)
def test_bad_generic_alert_names_the_field(body, field):
    with pytest.raises(ValidationError) as err:
        parse_generic(body)
    assert validation_answer(err.value)[0] == field


@pytest.mark.parametrize(
    "labels, severity, expected",
    [
        ({"severity": "critical"}, None, "SEV-1"),
        ({"severity": "Warning"}, None, "SEV-3"),
        ({"severity": "critical", "sev": "SEV-4"}, None, "SEV-4"),
        ({}, "SEV-2", "SEV-2"),
        ({}, "page", "SEV-2"),
        ({"severity": "bogus"}, None, "SEV-3"),
        ({}, None, "SEV-3"),
    ],
    ids=[
        "mapped",
        "case-insensitive",
        "explicit sev label wins",
        "SEV-n given",
        "generic mapped",
        "unknown value → default",
        "nothing → default",
    ],
)
def test_severity(labels, severity, expected):
    [alert] = parse_generic({"rule": "X", "labels": labels, **({"severity": severity} if severity else {})})
    assert classify(alert.severity, alert.labels, SEV_MAP).level == expected


def test_alertmanager_repeat_is_not_a_new_alert_and_resolution_ends_the_episode(client, auth, runtime):
    first = client.post("/api/v1/alerts/alertmanager", json=am_payload(), headers=auth)
    assert first.status_code == 201 and first.json["created"] == [1]
    again = client.post("/api/v1/alerts/alertmanager", json=am_payload(), headers=auth)
    assert again.status_code == 200 and again.json["created"] == [] and again.json["repeated"] == 1
    resolved = am_alert(status="resolved", endsAt="2026-03-03T02:05:00Z")
    done = client.post("/api/v1/alerts/alertmanager", json=am_payload(resolved), headers=auth)
    assert done.json["resolved"] == [1]
    late = client.post("/api/v1/alerts/alertmanager", json=am_payload(), headers=auth)
    assert late.json["created"] == [] and late.json["ignored"] == 1  # a resolved alert never reopens
    newer = client.post(
        "/api/v1/alerts/alertmanager",
        json=am_payload(am_alert(startsAt="2026-03-03T03:00:00Z")),
        headers=auth,
    )
    assert newer.json["created"] == [2]  # a new firing is a new episode


def test_grouped_payload_with_one_bad_alert_stores_nothing(client, auth):
    bad = am_payload(am_alert(fingerprint="a"), am_alert(fingerprint="b", startsAt=None))
    response = client.post("/api/v1/alerts/alertmanager", json=bad, headers=auth)
    assert response.status_code == 400 and response.json["field"] == "alerts[1].startsAt"
    assert client.get("/api/v1/alerts?status=all", headers=auth).json["alerts"] == []


def test_malformed_json_and_oversize_body(client, auth, app):
    response = client.post(
        "/api/v1/alerts", data=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json["field"] == "body"
    big = b'{"rule": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1) + b'"}'
    response = client.post("/api/v1/alerts", data=big, headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_actions_through_the_api(client, auth):
    client.post("/api/v1/alerts", json={"rule": "DiskFull", "severity": "warning"}, headers=auth)
    assert (
        client.post("/api/v1/alerts/1/ack", json={"person": "kim"}, headers=auth).json["result"]
        == "acknowledged"
    )
    assert (
        client.post(
            "/api/v1/alerts/1/vote", json={"person": "kim", "value": "noise"}, headers=auth
        ).status_code
        == 200
    )
    assert client.post("/api/v1/alerts/1/vote", json={"value": "meh"}, headers=auth).status_code == 400
    assert (
        client.post("/api/v1/alerts/1/resolve", json={"person": "kim"}, headers=auth).json["alert"]["status"]
        == "resolved"
    )
    assert client.post("/api/v1/alerts/1/escalate", headers=auth).status_code == 409
    assert client.post("/api/v1/alerts/99/ack", headers=auth).status_code == 404
    kinds = [e["kind"] for e in client.get("/api/v1/alerts/1", headers=auth).json["timeline"]]
    assert kinds == ["received", "acknowledged", "vote", "resolved"]
