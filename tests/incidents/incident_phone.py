"""Incidents over the phone: the conversation DSL of tests/conversations plus the incidents API.

The service is served on 127.0.0.1 and pages through the real Twilio SDK into the fake Twilio;
the clock is the controllable one (Tuesday 11:00 in Seoul, inside business hours).
"""

from __future__ import annotations

from datetime import timedelta

from tests.conversations.phone import Conversation


def declare(talk: Conversation, severity: str = "SEV-1", **roles) -> int:
    """Declare "Payment API errors" through the API with `roles`; one engine tick. Its id."""
    body = {"title": "Payment API errors", "severity": severity, "roles": roles}
    answer = talk.client.post("/api/v1/incidents", json=body, headers=talk.auth)
    assert answer.status_code == 201, answer.json
    talk.tick()
    return answer.json["id"]


def assign(talk: Conversation, incident: int, **roles) -> None:
    answer = talk.client.put(f"/api/v1/incidents/{incident}/roles", json=roles, headers=talk.auth)
    assert answer.status_code == 200, answer.json
    talk.tick()


def update(talk: Conversation, incident: int, status: str, impact: str = "checkout failing") -> None:
    body = {"status": status, "impact": impact}
    answer = talk.client.post(f"/api/v1/incidents/{incident}/updates", json=body, headers=talk.auth)
    assert answer.status_code == 201, answer.json


def incident(talk: Conversation, incident_id: int) -> dict:
    answer = talk.client.get(f"/api/v1/incidents/{incident_id}", headers=talk.auth)
    assert answer.status_code == 200, answer.json
    return answer.json


def jump(talk: Conversation, **delta: float) -> None:
    """Move the clock at once (no ticks in between), then tick twice: queue, then send."""
    talk.clock.advance(timedelta(**delta))
    talk.tick()
    talk.tick()
