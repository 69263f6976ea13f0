"""SQLite's query plans of the statements a test makes, to check that a query uses its index."""

from __future__ import annotations

from sqlalchemy import event


def alert_plans(runtime) -> list[str]:
    """SQLite's plan of every SELECT that reads `alerts`, from now on (appended to)."""
    plans: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM alerts" in statement:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append(" | ".join(row[-1] for row in rows))

    event.listen(runtime.db.engine, "before_cursor_execute", explain)
    return plans
