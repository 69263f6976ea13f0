"""The open-alerts list reads the open few through the status index, never every stored alert."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from test_listing import store_alerts

from tests.conftest import on_postgres

pytestmark = pytest.mark.skipif(on_postgres(), reason="reads SQLite's query plans")


def alert_plans(runtime) -> list[str]:
    """SQLite's plan of every statement on `alerts` run from now on (appended to)."""
    plans: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany) -> None:
        if "FROM alerts" in statement and not statement.startswith("EXPLAIN"):
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append(" | ".join(row[-1] for row in rows))

    event.listen(runtime.db.engine, "before_cursor_execute", explain)
    return plans


def test_the_open_list_and_its_total_search_the_status_index(client, auth, runtime):
    store_alerts(runtime, 30, status="resolved")
    open_ids = store_alerts(runtime, 3, prefix="open")
    plans = alert_plans(runtime)

    answer = client.get("/api/v1/alerts?limit=2", headers=auth).json
    deeper = client.get(f"/api/v1/alerts?limit=2&cursor={answer['next']}", headers=auth).json

    assert [a["id"] for a in answer["alerts"] + deeper["alerts"]] == open_ids[::-1]
    assert answer["total"] == 3
    assert len(plans) == 4  # a count and a page, twice
    for plan in plans:
        assert "ix_alerts_status (status=?" in plan, plan
        assert "SCAN alerts" not in plan, plan
