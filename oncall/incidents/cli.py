"""`python -m oncall incident {declare,list,update,note,postmortem,show}` — incidents from a terminal.

Each command acts through `oncall.incidents.service` in one transaction, as the API does. An
incident is named `INC-7` or `7`. Who acts is `--as PERSON` (a configured person) or `cli`.
Exit codes: 0 done; 1 refused (no such incident, a status that cannot follow, an unknown person,
an empty text), with one line saying why; 2 a malformed command line.

Built only when `incident` is the command given (oncall/cli/main.py, GROUPS), so other commands
never load it. The runtime is handed in by the CLI (this package sits below it).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from oncall.cliparts import add_actor, duration, run_refusable, team_time
from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.incidents import service
from oncall.incidents.action_items import today_for
from oncall.incidents.errors import IncidentError
from oncall.incidents.followups import IncidentFollowUps
from oncall.incidents.models import Incident
from oncall.incidents.roles import person_name
from oncall.incidents.status import ROLE_TITLES, STATUSES
from oncall.timeargs import TIME_FORMS, parse_instant

SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
_ID = re.compile(r"^(?:inc-?)?([1-9][0-9]{0,17})$", re.IGNORECASE)


class CliRuntime(Protocol):
    """What the commands use of the runtime the CLI builds."""

    db: Database
    clock: Clock
    incident_followups: IncidentFollowUps  # pages the role holders

    @property
    def config(self) -> Config: ...


def incident_id(text: str) -> int:
    """`INC-7`, `inc-7` or `7` as 7; an argparse error otherwise."""
    match = _ID.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an incident: write INC-7 or 7")
    return int(match[1])


def register(subparsers: argparse._SubParsersAction, runtime: Callable[[], CliRuntime]) -> None:
    """Add the `incident` command; each subcommand sets `func(args) -> int`."""
    parser = subparsers.add_parser("incident", help="declare and run incidents: updates, notes, postmortem")
    commands = parser.add_subparsers(dest="incident_command", required=True, metavar="SUBCOMMAND")

    declare = commands.add_parser("declare", help="declare an incident (status Investigating)")
    declare.add_argument("title")
    declare.add_argument("--severity", required=True, choices=SEVERITIES)
    declare.add_argument(
        "--alert", type=int, action="append", default=[], metavar="ID", help="attach an alert"
    )
    declare.add_argument("--summary")
    declare.add_argument(
        "--commander", metavar="PERSON", help="a person key (default: the configured source)"
    )
    declare.add_argument(
        "--impact-started",
        metavar="TIME",
        help=f"when the impact began (MTTD starts): {TIME_FORMS}; without offset, in `timezone`",
    )
    add_actor(declare)
    declare.set_defaults(func=lambda args: _run(runtime, _declare, args))

    listing = commands.add_parser("list", help="open incidents, newest first (--all: resolved too)")
    listing.add_argument("--all", action="store_true")
    listing.add_argument("--limit", type=int, default=50, choices=range(1, 1001), metavar="1..1000")
    listing.set_defaults(func=lambda args: _run(runtime, _list, args))

    update = commands.add_parser("update", help="post a status update")
    update.add_argument("id", type=incident_id, metavar="ID")
    update.add_argument("--status", required=True, choices=STATUSES)
    update.add_argument("--impact", required=True)
    update.add_argument("--work", help="what is being done now")
    update.add_argument("--next", type=duration, metavar="DURATION", help="next update due in, e.g. 15m")
    add_actor(update)
    update.set_defaults(func=lambda args: _run(runtime, _update, args))

    note = commands.add_parser("note", help="add a note to the timeline")
    note.add_argument("id", type=incident_id, metavar="ID")
    note.add_argument("text")
    add_actor(note)
    note.set_defaults(func=lambda args: _run(runtime, _note, args))

    postmortem = commands.add_parser("postmortem", help="print the postmortem draft (Markdown)")
    postmortem.add_argument("id", type=incident_id, metavar="ID")
    postmortem.set_defaults(func=lambda args: _run(runtime, _postmortem, args))

    show = commands.add_parser("show", help="an incident: roles, timeline, action items")
    show.add_argument("id", type=incident_id, metavar="ID")
    show.set_defaults(func=lambda args: _run(runtime, _show, args))


def _run(runtime: Callable[[], CliRuntime], command: Callable[..., int], args: argparse.Namespace) -> int:
    return run_refusable(runtime, command, args, refusal=IncidentError, name="incident")


def _follow(runtime: CliRuntime) -> IncidentFollowUps:
    return runtime.incident_followups


def _declare(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    config, now = runtime.config, runtime.clock.now()
    started = None
    if args.impact_started:
        started = parse_instant(
            args.impact_started, now=now, tz=ZoneInfo(config.timezone), name="--impact-started"
        )
    incident = service.declare(
        session,
        config,
        title=args.title,
        severity=args.severity,
        now=now,
        actor=who,
        alert_ids=args.alert,
        summary=args.summary,
        impact_started_at=started,
        roles={"commander": args.commander} if args.commander else None,
        follow=_follow(runtime),
    )
    print(f"Declared {incident.number} ({incident.severity}): {incident.title}")
    _print_roles(runtime, session, incident)
    _print_next_due(runtime, incident)
    return 0


def _list(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    page = service.list_incidents(session, status="all" if args.all else "open", limit=args.limit)
    if not page.incidents:
        print("No open incidents." if not args.all else "No incidents.")
        return 0
    config = runtime.config
    for incident in page.incidents:
        commander = service.current_roles(session, incident).get("commander")
        who_leads = person_name(config, commander.person) if commander else "no Commander"
        when = team_time(config, incident.declared_at)
        print(
            f"{incident.number:<8} {incident.severity}  {incident.status:<13} {when}  {who_leads:<12} {incident.title}"
        )
    if page.next_after_id is not None:
        print(f"({page.total} in all; --limit for more)")
    return 0


def _update(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    incident = service.get(session, args.id)
    service.post_update(
        session,
        incident,
        status=args.status,
        impact=args.impact,
        current_work=args.work,
        next_update_in=args.next,
        now=runtime.clock.now(),
        actor=who,
        update_every=runtime.config.incidents.update_every,
    )
    print(f"{incident.number} is {incident.status}.")
    _print_next_due(runtime, incident)
    return 0


def _note(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    incident = service.get(session, args.id)
    service.add_note(session, incident, text=args.text, now=runtime.clock.now(), actor=who)
    print(f"Noted on {incident.number}.")
    return 0


def _postmortem(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    incident = service.get(session, args.id)
    sys.stdout.write(service.postmortem_text(session, runtime.config, incident))
    return 0


def _show(runtime: CliRuntime, session: Session, args: argparse.Namespace, who: str) -> int:
    config = runtime.config
    incident = service.get(session, args.id)
    print(f"{incident.number} ({incident.severity}, {incident.status}): {incident.title}")
    print(f"Declared {team_time(config, incident.declared_at)} by {incident.declared_by}")
    _print_roles(runtime, session, incident)
    _print_next_due(runtime, incident)
    print("\nTimeline:")
    for row in service.timeline(session, incident, config):
        print(f"  {team_time(config, row.at)}  {row.actor}: {row.text}")
    today = today_for(config, runtime.clock.now())
    items = service.action_items(session, state="all", today=today, incident_id=incident.id)
    if items:
        print("\nAction items:")
    for item in items:
        state = "done" if item.done_at else ("OVERDUE" if item.due < today else "open")
        print(f"  [{state}] {item.priority} {item.title} — {person_name(config, item.owner)}, due {item.due}")
    return 0


def _print_roles(runtime: CliRuntime, session: Session, incident: Incident) -> None:
    roles = service.current_roles(session, incident)
    for role, title in ROLE_TITLES.items():
        if role in roles:
            print(f"{title}: {person_name(runtime.config, roles[role].person)}")


def _print_next_due(runtime: CliRuntime, incident: Incident) -> None:
    if incident.next_update_due_at is not None:
        print(f"Next status update due {team_time(runtime.config, incident.next_update_due_at)}")
