"""The argparse pieces that the flow packages' own commands share (`incident`, `maintenance`).

Those commands live beside their flows (oncall/incidents/cli.py, oncall/maintenance/cli.py) and
register themselves with `python -m oncall`; what they have in common is here, once: the `--as`
actor, a duration argument, a time shown where the team is, and running one subcommand in one
transaction where a refusal is one line and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from oncall import wallclock
from oncall.config.model import Config
from oncall.db import Database
from oncall.durations import parse_duration

CLI_ACTOR = "cli"  # who acts when `--as` is not given


class Refusal(Protocol):
    """A domain error whose `message` says what to do instead (IncidentError, MaintenanceError)."""

    message: str


class Built(Protocol):
    """What running a subcommand needs of the runtime the CLI builds."""

    db: Database

    @property
    def config(self) -> Config: ...


B = TypeVar("B", bound=Built)


def add_actor(parser: argparse.ArgumentParser) -> None:
    """`--as PERSON`: who acts (the timeline, created_by); the CLI itself when absent."""
    parser.add_argument("--as", dest="actor", metavar="PERSON", help=f"who acts (default: {CLI_ACTOR})")


def duration(text: str) -> timedelta:
    """`15m`, `2h`, `1h30m` as a timedelta; an argparse error otherwise."""
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def team_time(config: Config, at: datetime) -> str:
    """A time where the team is: 2026-03-20 12:15 KST."""
    return wallclock.team_time(at, config.timezone)


def run_refusable(
    build: Callable[[], B],
    command: Callable[[B, Session, argparse.Namespace, str], int],
    args: argparse.Namespace,
    *,
    refusal: type[Exception],
    name: str,
) -> int:
    """Run `command(runtime, session, args, who)` in one transaction; a `refusal` prints
    "NAME: message" and exits 1 with nothing saved, as does an `--as` that names nobody."""
    built = build()
    try:
        who = _actor(built.config, getattr(args, "actor", None), refusal)
        with built.db.session() as session:
            return command(built, session, args, who)
    except refusal as exc:
        print(f"{name}: {exc.message}", file=sys.stderr)  # type: ignore[attr-defined]
        return 1


def _actor(config: Config, named: str | None, refusal: type[Exception]) -> str:
    if named is None:
        return CLI_ACTOR
    if named not in config.people:
        raise refusal(f"--as {named!r} is not a person of the configuration")
    return named
