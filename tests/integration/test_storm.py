"""A storm: 2,000 alerts in a few seconds for one team (DESIGN §6, §14).

Every alert is stored, and nobody gets more than one SMS and one call per minute: the first
message of each level is a bundle of everything due at that moment, and the rest waits in the
outbox for the end of the person's window, to go out as the next bundle. That next bundle is a
minute away, so the test reads the outbox rows instead of waiting for it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from tests.integration.configs import PHONE, demo_config
from tests.integration.payloads import am_alert, am_payload
from tests.integration.service import stays

pytestmark = pytest.mark.integration

ALERTS, PER_POST = 2000, 100
WINDOW = timedelta(minutes=1)


def rows(database_url: str, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql, args).fetchall()


def test_storm_is_stored_whole_and_each_person_gets_bundles_within_the_rate_limit(launch):
    running = launch(demo_config())
    fake, api = running.fake, running.api

    created = []
    for start in range(0, ALERTS, PER_POST):
        alerts = [am_alert(f"Storm{i % 7}", instance=f"host-{i}") for i in range(start, start + PER_POST)]
        response = api.post("/api/v1/alerts/alertmanager", json=am_payload(alerts))
        assert response.status_code == 201, response.text
        created += response.json()["created"]

    assert len(set(created)) == ALERTS
    assert rows(running.database_url, "SELECT count(*) FROM alerts") == [(ALERTS,)]
    first = {
        person: fake.expect_sms(PHONE[person], "alerts for payments", timeout=12)
        for person in ("kim", "choi", "jung")
    }
    stays(lambda: len(fake.messages) == 3 and len(fake.calls) <= 3, 1.5, what="one SMS per person")

    for person, sms in first.items():
        sent = rows(
            running.database_url,
            "SELECT count(*), min(sent_at) FROM notifications "
            "WHERE person = ? AND channel = 'sms' AND status = 'sent'",
            person,
        )
        count, sent_at = sent[0]
        assert sms.body.startswith(f"[SEV-1 #100] {count} alerts for payments: Storm"), sms.body
        assert sms.body.endswith("reply 100a to ack all")
        # The rest of the alerts wait, bundled, for the end of the window.
        waiting = rows(
            running.database_url,
            "SELECT count(*), min(due_at) FROM notifications "
            "WHERE person = ? AND channel = 'sms' AND status = 'pending'",
            person,
        )
        pending, due = waiting[0]
        if pending:
            assert datetime.fromisoformat(due) >= datetime.fromisoformat(sent_at) + WINDOW
    kim_rows = rows(
        running.database_url,
        "SELECT count(DISTINCT alert_id) FROM notifications "
        "WHERE person = 'kim' AND channel = 'sms' AND status IN ('sent', 'pending')",
    )
    assert kim_rows == [(ALERTS,)]  # every alert pages Kim: now, or in the next bundle
    assert sum(1 for c in fake.calls if c.to == PHONE["kim"]) == 1
