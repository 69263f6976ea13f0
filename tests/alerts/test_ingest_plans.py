"""Ingest finds what it knows of a batch through indexes, never by reading every stored alert."""

from __future__ import annotations

import pytest

from tests.conftest import on_postgres
from tests.integration.payloads import am_alert, am_payload
from tests.sqlite_plans import alert_plans

pytestmark = pytest.mark.skipif(on_postgres(), reason="reads SQLite's query plans")
ALERTMANAGER = "/api/v1/alerts/alertmanager"


def test_new_alerts_are_checked_against_the_stored_ones_through_an_index(client, auth, runtime):
    first = [am_alert("Stored", instance=f"old-{n}") for n in range(20)]
    assert client.post(ALERTMANAGER, json=am_payload(first), headers=auth).status_code == 201
    plans = alert_plans(runtime)

    batch = [am_alert("Fresh", instance=f"new-{n}") for n in range(5)]
    answer = client.post(ALERTMANAGER, json=am_payload(batch), headers=auth)

    assert answer.status_code == 201, answer.json
    assert plans  # the open episodes of the batch's keys, and which keys had one before
    for plan in plans:
        assert "SCAN alerts" not in plan, plan
