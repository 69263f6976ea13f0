"""Storms: thousands of alerts in a few seconds for one team (docs/paging.md, docs/performance.md).

Every alert is stored, and nobody gets more than one SMS and one call per minute: the first
message of each level carries everything due at that moment (one alert, or a bundle), and the
rest waits in the outbox for the end of the person's window, joining that bundle meanwhile. The
next message is a minute away, so the tests read the outbox rows instead of waiting for it.
"""

from __future__ import annotations

import re
import sqlite3
import time

import pytest

from tests.fakes.waiting import wait_until
from tests.integration.configs import PHONE, Timing, demo_config
from tests.integration.payloads import am_alert, am_payload
from tests.integration.service import stays

pytestmark = pytest.mark.integration

ALERTS, PER_POST = 2000, 100


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
    # Level 1 pages at once, levels 2 and 3 3 s and 6 s after each alert came in; the engine has
    # thousands of steps to work through, so allow it time.
    first = {
        person: fake.expect_sms(PHONE[person], "[SEV-1 #", timeout=30) for person in ("kim", "choi", "jung")
    }
    stays(lambda: len(fake.messages) == 3 and len(fake.calls) <= 3, 1.5, what="one SMS per person")

    for person, sms in first.items():
        sent = rows(
            running.database_url,
            "SELECT count(*) FROM notifications WHERE person = ? AND channel = 'sms' AND status = 'sent'",
            person,
        )
        count = sent[0][0]
        if count == 1:  # the first step fell due alone: a page for one alert
            assert re.match(r"\[SEV-1 #1\] Storm\d payments: ", sms.body), sms.body
        else:
            assert sms.body.startswith(f"[SEV-1 #100] {count} alerts for payments: Storm"), sms.body
            assert sms.body.endswith("reply 100a to ack all")

    def kim_rows() -> int:
        return rows(
            running.database_url,
            "SELECT count(DISTINCT alert_id) FROM notifications "
            "WHERE person = 'kim' AND channel = 'sms' AND status IN ('sent', 'sending', 'pending')",
        )[0][0]

    # Every alert pages Kim: in the first message, or in a bundle when her window ends. The
    # engine works through the storm's level-1 steps 200 at a time, so the last rows come late.
    wait_until(lambda: kim_rows() == ALERTS, 45, interval=0.2, what=f"{ALERTS} outbox rows for Kim")
    assert sum(1 for c in fake.calls if c.to == PHONE["kim"]) == 1
    assert sum(1 for m in fake.messages if m.to == PHONE["kim"]) == 1


STORM = 3000


def count(database_url: str, sql: str, *args) -> int:
    return rows(database_url, sql, *args)[0][0]


def test_one_reply_acknowledges_every_alert_of_a_3000_alert_storm(launch):
    # Levels 2 and 3 far away: this test is about Kim, level 1.
    running = launch(demo_config(Timing(level2_after=600, level3_after=1200)))
    fake, api, db = running.fake, running.api, running.database_url
    kim = PHONE["kim"]

    for start in range(0, STORM, PER_POST):
        alerts = [am_alert(f"Storm{i % 7}", instance=f"host-{i}") for i in range(start, start + PER_POST)]
        response = api.post("/api/v1/alerts/alertmanager", json=am_payload(alerts))
        assert response.status_code == 201, response.text
    bundle = fake.expect_sms(kim, "[SEV-1 #100] ", "alerts for payments: Storm", timeout=30)
    assert bundle.body.endswith("reply 100a to ack all")
    sent_at = time.monotonic()

    def kim_sms(where: str) -> int:
        return count(
            db,
            f"SELECT count(DISTINCT alert_id) FROM notifications WHERE person = 'kim' "
            f"AND channel = 'sms' AND {where}",
        )

    # The rest of the storm falls due inside Kim's window and joins the bundle she was sent.
    # Twilio's answer (the sid) is recorded just after the request reached the fake.
    sid_recorded = "SELECT count(*) FROM notifications WHERE sid = ?"
    wait_until(lambda: count(db, sid_recorded, bundle.sid) > 0, 10, interval=0.05, what="the bundle's sid")
    batch = count(db, "SELECT batch_id FROM notifications WHERE sid = ?", bundle.sid)
    wait_until(
        lambda: kim_sms(f"(batch_id = {batch} OR attached_to = {batch})") == STORM,
        45,
        interval=0.2,
        what=f"all {STORM} alerts in Kim's bundle",
    )
    assert time.monotonic() - sent_at < 55, "the engine was too slow to show the reply inside the window"

    answer = fake.send_sms(kim, "100a")
    assert answer.status == 200 and answer.messages == [f"Acknowledged {STORM} alerts (#100)"]
    assert count(db, "SELECT count(*) FROM alerts WHERE status = 'acknowledged'") == STORM
    # Nothing is left to go out to Kim: no follow-up bundle when her window ends.
    assert count(db, "SELECT count(*) FROM notifications WHERE person = 'kim' AND status = 'pending'") == 0
    assert [m.via for m in fake.messages if m.to == kim] == ["rest", "twiml"]  # the page and the answer
    assert sum(1 for c in fake.calls if c.to == kim) == 1
    stays(lambda: len([m for m in fake.messages if m.to == kim]) == 2, 1.5, what="two SMS to Kim")
