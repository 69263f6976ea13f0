"""`audit import --from VENDOR|prometheus`: read another tool's history and store it.

Each vendor file is stored in its own transaction, as a JSONL file is: a bad file stops the
import with the file, the entry and the field, and nothing from that file is stored. A
Prometheus import is one transaction over the whole window.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any

from alertaudit import importer
from alertaudit.events import AlertEvent
from alertaudit.sources.bodies import SourceError
from alertaudit.sources.inferred import is_inferred_page
from alertaudit.sources.plan import plan_import
from oncall.durations import parse_duration
from oncall.plural import plural
from oncall.progress import progress_bar
from oncall.timeargs import parse_since

ServicesFactory = Callable[[], Any]


class _Counting:
    """Passes events through, counting the inferred pages among them."""

    def __init__(self, events: Iterable[AlertEvent]) -> None:
        self.events = events
        self.inferred = 0

    def __iter__(self) -> Iterator[AlertEvent]:
        for event in self.events:
            self.inferred += is_inferred_page(event)
            yield event


def import_vendor(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    """Import saved vendor bodies (files or directories); the exit code."""
    if not args.files or "-" in args.files:
        print(f"audit import --from {args.source}: give the saved JSON files or directories", file=sys.stderr)
        return 2
    services = services_factory()
    try:
        plan = plan_import(args.source, args.files, services.config)
    except (SourceError, OSError) as exc:
        print(f"audit import: {exc} (nothing imported)", file=sys.stderr)
        return 1
    total_read = total_new = total_inferred = 0
    with progress_bar(f"importing {args.source}", len(plan.files), "file") as bar:
        for path in plan.files:
            try:
                with services.db.session() as session:
                    events = _Counting(plan.events_of(path))
                    read, new = importer.import_events(session, events, source=plan.source)
            except (SourceError, OSError) as exc:
                bar.close()  # the error line must not land on the bar
                print(f"audit import: {exc} (nothing imported from this file)", file=sys.stderr)
                return 1
            # through the bar: it steps aside for the line on a terminal, then comes back
            bar.write(
                f"{path}: {plural(read, 'event')} read, {new} new{_inferred(events.inferred)}", sys.stdout
            )
            bar.update(1)
            total_read, total_new, total_inferred = (
                total_read + read,
                total_new + new,
                total_inferred + events.inferred,
            )
    if len(plan.files) > 1:
        print(f"total: {plural(total_read, 'event')} read, {total_new} new{_inferred(total_inferred)}")
    return 0


def _inferred(count: int) -> str:
    return f" ({plural(count, 'page')} inferred from acknowledgements/on-call)" if count else ""


def import_prometheus(args: argparse.Namespace, services_factory: ServicesFactory) -> int:
    """Import the firing runs of `ALERTS` from a Prometheus server; the exit code."""
    # requests is loaded only by this command
    from alertaudit.sources.prometheus_api import PrometheusError, alert_events

    if not args.url or args.files:
        print("audit import --from prometheus: give --url URL (and no files)", file=sys.stderr)
        return 2
    services = services_factory()
    now = services.clock.now()
    try:
        since = parse_since(args.since, now=now)
        step = parse_duration(args.step)
    except ValueError as exc:
        print(f"audit import: {exc}", file=sys.stderr)
        return 2
    if step <= timedelta(0):
        print("audit import: --step must be longer than 0s", file=sys.stderr)
        return 2
    try:
        with services.db.session() as session:
            events = alert_events(
                args.url, since, now, step_s=step.total_seconds(), rule_key=services.config.auditor.rule_key
            )
            read, new = importer.import_events(session, events, source="prometheus")
    except PrometheusError as exc:
        print(f"audit import: {exc} (nothing imported)", file=sys.stderr)
        return 1
    print(f"{args.url}: {plural(read, 'event')} read, {new} new")
    return 0
