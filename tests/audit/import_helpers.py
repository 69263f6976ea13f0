"""Shared pieces of the history-import tests: the CLI over the runtime, the fixtures, the stored rows."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from alertaudit.cli import register
from alertaudit.models import ImportedEvent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "history"
# After the fixtures' three weeks: Kim (from Mon 2 March), Lee (9 March), Park (16 March).
AFTER_FIXTURES = datetime(2026, 3, 20, 0, 0, tzinfo=UTC)

Cli = Callable[..., tuple[int, str, str]]


def make_cli(runtime, capsys) -> Cli:
    """`python -m oncall audit ...` through the CLI's argparse tree, over `runtime`."""
    parser = argparse.ArgumentParser(prog="oncall")
    register(parser.add_subparsers(dest="command"), lambda: runtime)

    def run(*argv: str) -> tuple[int, str, str]:
        args = parser.parse_args(list(argv))
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def stored(runtime, **where) -> list[ImportedEvent]:
    """The stored events matching column values, oldest first."""
    with runtime.db.session() as session:
        query = select(ImportedEvent).order_by(ImportedEvent.at, ImportedEvent.id)
        for column, value in where.items():
            query = query.where(getattr(ImportedEvent, column) == value)
        rows = session.scalars(query).all()
        session.expunge_all()
        return list(rows)


def count_rows(runtime) -> int:
    return len(stored(runtime))
