"""`python -m oncall {serve,who,schedule,config,token,calendar,reply,audit,outbox}`.

Only argparse here: a command's handler is named as "module:function" and imported when that
command runs, so `--help` and the light commands never load Flask, the database layer, Alembic,
the Twilio SDK or the auditor. The calendar and audit command trees belong to their packages and
are built only when their command is the one given.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oncall.cli.arguments import LIMIT, PORT, WEEKS, WORKERS, bounded_int
from oncall.timeargs import TIME_FORMS  # one help text for every time option

PROG = "python -m oncall"
COMMANDS = "oncall.cli.commands"
# Command trees registered by their own packages: (module with register(subparsers, runtime), help).
GROUPS = {
    "calendar": ("oncall.calendar.cli", "calendar feed links (iCal subscriptions)"),
    "audit": ("alertaudit.cli", "alert auditor: noise report and demotions"),
    "incident": ("oncall.incidents.cli", "declare and run incidents: updates, notes, postmortem"),
    "migrate": ("oncall.vendors.cli", "schedules and escalations from PagerDuty, Opsgenie or Grafana OnCall"),
    "maintenance": ("oncall.maintenance.cli", "maintenance windows: planned work whose alerts page nobody"),
    "heartbeats": ("oncall.heartbeats.cli", "heartbeats: each one's state (ok, late, missing) and last beat"),
}


def load(spec: str) -> Callable[..., Any]:
    """The function a "module:function" spec names, importing its module now."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(chosen_command(argv)).parse_args(argv)
    handler = args.func if hasattr(args, "func") else load(args.handler)
    return load("oncall.cli.errors:run")(handler, args)


def chosen_command(argv: list[str]) -> str | None:
    """The command word: the first argument not an option (the top level takes none with a value)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole argument tree; `command`'s group (calendar, audit) is built in full, others named only."""
    parser = argparse.ArgumentParser(prog=PROG, description="on-call scheduling and paging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _serve(sub)
    _who(sub)
    _schedule(sub)
    _config(sub)
    _token(sub)
    _reply_outbox_ui(sub)
    for name, (module, helptext) in GROUPS.items():
        if name == command:
            load(f"{module}:register")(sub, load(f"{COMMANDS}:runtime"))
        else:
            sub.add_parser(name, help=helptext)
    return parser


def _serve(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="run the service (gunicorn); prepares the database first")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=bounded_int(*PORT), default=8080)
    serve.add_argument("--workers", type=bounded_int(*WORKERS), default=1)
    serve.add_argument(
        "--pidfile", type=Path, default=None, help="default $ONCALL_PIDFILE or var/oncall-HOST-PORT.pid"
    )
    serve.set_defaults(handler="oncall.cli.serving:cmd_serve")


def _who(sub: argparse._SubParsersAction) -> None:
    who = sub.add_parser("who", help="who is on call now (or --at TIME)")
    who.add_argument("rotation", nargs="?")
    who.add_argument(
        "--at",
        metavar="TIME",
        help=f"when (default now): {TIME_FORMS}; without offset, in the rotation's (or `timezone`'s) zone",
    )
    who.set_defaults(handler=f"{COMMANDS}:who")


def _schedule(sub: argparse._SubParsersAction) -> None:
    schedule = sub.add_parser("schedule", help="review a rotation's schedule")
    sched_sub = schedule.add_subparsers(dest="schedule_command", required=True)
    preview = sched_sub.add_parser("preview", help="the next weeks as a table")
    preview.add_argument("rotation")
    preview.add_argument("--weeks", type=bounded_int(*WEEKS), default=8, help="1 to 520 (default 8)")
    preview.add_argument(
        "--from",
        dest="start",
        metavar="TIME",
        help=f"start (default now): {TIME_FORMS}; without offset, in the rotation's time zone",
    )
    preview.set_defaults(handler=f"{COMMANDS}:preview")


def _config(sub: argparse._SubParsersAction) -> None:
    config = sub.add_parser("config", help="check, diff and apply the YAML configuration")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    check = config_sub.add_parser("check", help="validate a file; every problem with its line")
    check.add_argument("file", nargs="?")
    check.set_defaults(handler="oncall.cli.configuring:cmd_config_check")
    diff = config_sub.add_parser("diff", help="which shifts a new file changes, per person")
    diff.add_argument("file")
    diff.add_argument("--weeks", type=bounded_int(*WEEKS), default=8, help="1 to 520 (default 8)")
    diff.set_defaults(handler=f"{COMMANDS}:config_diff")
    apply = config_sub.add_parser(
        "apply", help="validate FILE, show its changes, write it over the configured file, reload the service"
    )
    apply.add_argument(
        "file", nargs="?", help="the new configuration (default: the configured file as it is)"
    )
    apply.add_argument("--yes", action="store_true", help="apply FILE even if it re-phases a rotation")
    apply.set_defaults(handler="oncall.cli.configuring:cmd_config_apply")


def _token(sub: argparse._SubParsersAction) -> None:
    token = sub.add_parser("token", help="API tokens (hashed at rest, shown once)")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create")
    create.add_argument("name")
    token_sub.add_parser("list")
    revoke = token_sub.add_parser("revoke")
    revoke.add_argument("name")
    token.set_defaults(handler=f"{COMMANDS}:token")


def _reply_outbox_ui(sub: argparse._SubParsersAction) -> None:
    reply = sub.add_parser(
        "reply",
        help="simulate an SMS reply (console notifier): `reply 1a` as whoever was sent code 1",
        description="Simulate an SMS reply, e.g. `reply 1a` (acknowledge alert code 1) or `reply kim help`.",
    )
    reply.add_argument(
        "person", nargs="?", help="who replies (default: the person the reply's code was sent to)"
    )
    reply.add_argument("text", help="the SMS text, e.g. 1a, 1r, ack, help")
    reply.set_defaults(handler=f"{COMMANDS}:reply")

    outbox = sub.add_parser("outbox", help="the most recent pages")
    outbox.add_argument("--limit", type=bounded_int(*LIMIT), default=20, help="1 to 10000 (default 20)")
    outbox.set_defaults(handler=f"{COMMANDS}:outbox")

    ui = sub.add_parser("ui", help="web UI sign-ins")
    ui_sub = ui.add_subparsers(dest="ui_command", required=True)
    user = ui_sub.add_parser("user", help="set a person's web UI password (read from stdin or a prompt)")
    user.add_argument("person")
    user.set_defaults(handler="oncall.cli.users:ui_user")


if __name__ == "__main__":
    sys.exit(main())
