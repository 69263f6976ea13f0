"""The auditor reads a large window of the service's own alerts: streamed, never one giant query."""

from __future__ import annotations

import json
from datetime import timedelta

from audit_builders import NOW
from sqlalchemy import event, insert

from alertaudit.events import ACKED, FIRED, PAGED, RESOLVED
from alertaudit.history import database_history
from oncall.alerts.models import Alert, AlertEvent
from oncall.config.model import BusinessHours, Config, Person

# The history used to list every alert id of the window in one IN (...) to read their timelines:
# one bound parameter per alert, and PostgreSQL refuses a statement with more than 65,535.
ALERTS = 3_000


def small_config() -> Config:
    hours = BusinessHours(frozenset(range(5)), NOW.time(), NOW.time(), "UTC")
    people = {"kim": Person("kim", "Kim", "+15550000001", "Asia/Seoul")}
    return Config("UTC", hours, people, {}, (), {}, ())


def seed(db, count: int) -> None:
    """`count` resolved alerts, each paged to Kim and acknowledged, in two bulk INSERTs."""
    start = NOW - timedelta(days=10)
    alerts = [
        {
            "id": n,
            "source": "api",
            "dedup_key": f"k{n}",
            "rule": f"Rule{n % 50}",
            "status": "resolved",
            "severity": "SEV-2",
            "base_severity": "SEV-2",
            "labels": json.dumps({"alertname": f"Rule{n % 50}"}),
            "started_at": start + timedelta(seconds=n),
            "received_at": start + timedelta(seconds=n),
            "last_seen_at": start + timedelta(seconds=n),
            "resolved_at": start + timedelta(seconds=n + 60),
            "resolved_by": "source",
        }
        for n in range(1, count + 1)
    ]
    events = [
        {
            "alert_id": n,
            "at": start + timedelta(seconds=n + s),
            "kind": kind,
            "person": "kim",
            "channel": "sms",
        }
        for n in range(1, count + 1)
        for s, kind in ((1, "notified"), (20, "acknowledged"))
    ]
    with db.session() as session:
        session.execute(insert(Alert), alerts)
        session.execute(insert(AlertEvent), events)


def parameter_counts(db) -> list[int]:
    """The number of bound parameters of every statement `db` runs from now on (appended to)."""
    counts: list[int] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        counts.append(len(parameters or ()))

    event.listen(db.engine, "before_cursor_execute", note)
    return counts


def test_a_large_window_is_read_whole_with_a_few_parameters_per_statement(db):
    seed(db, ALERTS)
    counts = parameter_counts(db)

    history = database_history(db, small_config)(NOW - timedelta(days=30), NOW)
    kinds: dict[str, int] = {}
    paged = []
    for item in history:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
        if item.kind == PAGED and len(paged) < 3:
            paged.append(item)

    assert kinds == {FIRED: ALERTS, RESOLVED: ALERTS, PAGED: ALERTS, ACKED: ALERTS}
    assert max(counts) <= 10  # the window's bounds and the like, whatever the number of alerts
    assert [(e.episode, e.rule, e.person, e.timezone) for e in paged] == [
        ("db-1", "Rule1", "kim", "Asia/Seoul"),
        ("db-2", "Rule2", "kim", "Asia/Seoul"),
        ("db-3", "Rule3", "kim", "Asia/Seoul"),
    ]


def test_alerts_outside_the_window_and_their_timelines_are_left_out(db):
    seed(db, 10)

    history = database_history(db, small_config)(NOW - timedelta(days=10, seconds=-5), NOW)
    episodes = {event.episode for event in history}

    assert episodes == {f"db-{n}" for n in range(5, 11)}
