"""`python -m oncall audit sample [--if-empty | --delete]`: the demo's generated history.

`make run` calls `audit sample --if-empty` so the first look at `/audit` shows a report. The
sample is shown only until real history exists (`alertaudit.history`) and never applied.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from alertaudit import importer
from alertaudit.models import ImportedEvent
from alertaudit.sample import DAYS, PROFILES, SOURCE, sample_history
from oncall.alerts.models import Alert
from oncall.plural import plural

ServicesFactory = Callable[[], Any]


def register(commands: Any, services_factory: ServicesFactory) -> None:
    """Add `sample` to the `audit` subcommands."""
    sample = commands.add_parser(
        "sample", help="store a generated 90-day demo history (shown until real history arrives)"
    )
    choice = sample.add_mutually_exclusive_group()
    choice.add_argument(
        "--if-empty", action="store_true", help="only when no history at all is stored (make run)"
    )
    choice.add_argument("--delete", action="store_true", help="delete the stored sample history")
    sample.set_defaults(func=lambda args: run_sample(args, services_factory))


def has_any_history(session: Session) -> bool:
    """Whether any live alert or any imported event (sample included) is stored."""
    return bool(session.scalar(select(exists().select_from(Alert) | exists().select_from(ImportedEvent))))


def delete_sample(session: Session) -> int:
    """Delete the stored sample events; returns how many."""
    result = session.execute(delete(ImportedEvent).where(ImportedEvent.source == SOURCE))
    return result.rowcount or 0


def run_sample(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    """Store (or replace, or delete) the sample history; the exit code."""
    services = services_factory()
    with services.db.session() as session:
        if args.delete:
            print(f"deleted {delete_sample(session)} sample events")
            return 0
        if args.if_empty and has_any_history(session):
            print("history already stored: no sample added")
            return 0
        replaced = delete_sample(session)
        events = sample_history(services.config, services.clock.now())
        _, stored = importer.import_events(session, events, source=SOURCE)
    again = f" (replacing {replaced})" if replaced else ""
    print(
        f"stored {plural(stored, 'sample event')}{again}: {len(PROFILES)} rules over {DAYS} days. The report "
        "shows them until real history arrives; `audit sample --delete` removes them."
    )
    return 0
