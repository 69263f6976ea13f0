"""`python -m oncall maintenance {start,list,end}` — planned work from a terminal.

    maintenance start --match service=payments --for 2h --reason "DB migration"
    maintenance start --match-all --from "tomorrow 02:00" --for 30m --reason "network switch-over"
    maintenance list [--all]
    maintenance end 3

Exit codes: 0 done; 1 refused (no such window, a YAML window, already over, no labels, no
reason), with one line saying why; 2 a malformed command line. Built only when `maintenance` is
the command given (oncall/cli/main.py, GROUPS); the runtime is handed in by the CLI.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from oncall.cliparts import add_actor, duration, run_refusable, team_time
from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.maintenance import service
from oncall.maintenance.errors import MaintenanceError
from oncall.maintenance.matching import Window
from oncall.timeargs import TIME_FORMS, parse_instant

HELP = "maintenance windows: planned work whose alerts page nobody until it ends"


class CliRuntime(Protocol):
    """What the commands use of the runtime the CLI builds."""

    db: Database
    clock: Clock

    @property
    def config(self) -> Config: ...


def label(text: str) -> tuple[str, str]:
    """`service=payments` as ("service", "payments"); an argparse error otherwise."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not a label: write NAME=VALUE (e.g. service=payments)")
    return name.strip(), value.strip()


def register(subparsers: argparse._SubParsersAction, runtime: Callable[[], CliRuntime]) -> None:
    """Add the `maintenance` command; each subcommand sets `func(args) -> int`."""
    parser = subparsers.add_parser("maintenance", help=HELP, description=HELP)
    commands = parser.add_subparsers(dest="maintenance_command", required=True, metavar="SUBCOMMAND")

    start = commands.add_parser("start", help="start a window: matching alerts are stored but page nobody")
    start.add_argument(
        "--match", type=label, action="append", default=[], metavar="NAME=VALUE", help="a label (repeatable)"
    )
    start.add_argument("--match-all", action="store_true", help="hold every alert (instead of --match)")
    start.add_argument(
        "--for", dest="length", type=duration, required=True, metavar="DURATION", help="e.g. 2h"
    )
    start.add_argument("--from", dest="start", metavar="TIME", help=f"start (default now): {TIME_FORMS}")
    start.add_argument("--reason", required=True, help="the planned work, shown on every held alert")
    add_actor(start)
    start.set_defaults(func=lambda args: _run(runtime, _start, args))

    listing = commands.add_parser("list", help="windows active or ahead (YAML and ad hoc)")
    listing.add_argument("--all", action="store_true", help="ended windows too")
    listing.set_defaults(func=lambda args: _run(runtime, _list, args))

    end = commands.add_parser("end", help="end an ad hoc window now: its held alerts page now")
    end.add_argument("window", metavar="ID")
    add_actor(end)
    end.set_defaults(func=lambda args: _run(runtime, _end, args))


def _run(runtime: Callable[[], CliRuntime], command: Callable[..., int], args: argparse.Namespace) -> int:
    return run_refusable(runtime, command, args, refusal=MaintenanceError, name="maintenance")


def _start(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    config, now = runtime.config, runtime.clock.now()
    starts = now
    if args.start:
        starts = parse_instant(args.start, now=now, tz=ZoneInfo(config.timezone), name="--from")
    window = service.start_window(
        session,
        match=dict(args.match),
        match_all=args.match_all,
        starts_at=starts,
        length=args.length,
        reason=args.reason,
        created_by=who,
        now=now,
    )
    print(f"Started maintenance window {window.id} ({window.reason})")
    print(
        f"Holds {_matching(window)} from {team_time(config, window.start)} until {team_time(config, window.end)}"
    )
    print(f"End it early: python -m oncall maintenance end {window.id}")
    return 0


def _list(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    config, now = runtime.config, runtime.clock.now()
    windows = service.list_windows(session, config, now, include_ended=args.all)
    if not windows:
        print("No maintenance windows." if args.all else "No maintenance windows now or ahead.")
        return 0
    counts = service.held_counts(session, [window.id for window in windows])
    rows = [("ID", "STATE", "FROM", "UNTIL", "MATCH", "ALERTS", "REASON")]
    rows += [_row(config, window, now, counts.get(window.id, 0)) for window in windows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    return 0


def _row(config: Config, window: Window, now: datetime, alerts: int) -> tuple[str, ...]:
    by = "YAML" if window.in_yaml else f"by {window.created_by}"
    return (
        window.id,
        window.state(now),
        team_time(config, window.start),
        team_time(config, window.ends),
        ",".join(f"{k}={v}" for k, v in window.match) or "(every alert)",
        str(alerts),
        f"{window.reason} ({by})",
    )


def _end(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    config, now = runtime.config, runtime.clock.now()
    window, released = service.end_window(session, config, args.window.strip(), now, by=who)
    noun = "alert pages" if released == 1 else "alerts page"
    print(f"Ended maintenance window {window.id} ({window.reason}): {released} held {noun} now")
    return 0


def _matching(window: Window) -> str:
    if not window.match:
        return "every alert"
    return "alerts with " + " and ".join(f"{k}={v}" for k, v in window.match)
