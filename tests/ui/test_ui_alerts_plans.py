"""The alerts page finds open and recently resolved alerts through indexes, not by reading them all."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from oncall.alerts.models import Alert
from tests.conftest import on_postgres
from tests.sqlite_plans import alert_plans

pytestmark = pytest.mark.skipif(on_postgres(), reason="reads SQLite's query plans")


def store(runtime, status: str, resolved_ago: timedelta | None, count: int) -> list[int]:
    """`count` alerts with `status`, resolved `resolved_ago` before now (None: not resolved)."""
    now = runtime.clock.now()
    rows = [
        Alert(
            source="api",
            dedup_key=f"{status}-{resolved_ago}-{n}",
            rule="HighErrorRate",
            status=status,
            severity="SEV-2",
            base_severity="SEV-2",
            labels=json.dumps({"team": "payments"}),
            started_at=now - timedelta(days=30),
            received_at=now - timedelta(days=30),
            last_seen_at=now - timedelta(days=30),
            resolved_at=None if resolved_ago is None else now - resolved_ago,
        )
        for n in range(count)
    ]
    with runtime.db.session() as session:
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def test_the_list_shows_open_and_recent_alerts_found_through_indexes(signed_in, runtime):
    store(runtime, "resolved", timedelta(days=10), 25)
    recent = store(runtime, "resolved", timedelta(hours=2), 2)
    acked = store(runtime, "acknowledged", None, 1)
    triggered = store(runtime, "triggered", None, 2)
    plans = alert_plans(runtime)

    page = signed_in.get("/alerts").get_data(as_text=True)

    shown = {int(i) for i in re.findall(r'data-testid="alert-(\d+)"', page)}
    assert shown == set(recent + acked + triggered)
    assert len(plans) >= 2  # the page, and the counts of each section
    for plan in plans:
        assert "SCAN alerts" not in plan, plan
