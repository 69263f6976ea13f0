"""`python -m oncall {serve,who,schedule,config,token,calendar,reply,audit,outbox}`."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from alertaudit import cli as audit_cli
from oncall.calendar import cli as calendar_cli
from oncall.cli.arguments import LIMIT, PORT, WEEKS, WORKERS, bounded_int
from oncall.config.problems import ConfigError
from oncall.configfile.loader import check_config, read_config_file
from oncall.escalation.followups import FOLLOW_UPS
from oncall.overrides.service import active_overrides
from oncall.paging.conversation import handle_sms
from oncall.paging.models import Notification
from oncall.paging.redact import mask_phone
from oncall.runtime import Runtime, build_runtime
from oncall.schedule import diff_schedules, on_call_at, preview_table, render_diff
from oncall.serve import run_server
from oncall.settings import ROOT, Settings
from oncall.timeargs import TimeArgError, parse_instant
from oncall.tokens.service import TokenError, create_token, list_tokens, revoke_token
from oncall.ui.auth import create_user

TIME_FORMS = "ISO 8601, with or without offset or an IANA zone; now, +2h, -30m, today 09:00"
PIDFILE = Path(os.environ.get("ONCALL_PIDFILE") or ROOT / "var" / "oncall.pid")


class Lazy:
    """Build the runtime once, on first use (commands like `config check` need none)."""

    def __init__(self) -> None:
        self._services: Runtime | None = None

    def __call__(self) -> Runtime:
        if self._services is None:
            self._services = build_runtime()
        return self._services


def main(argv: list[str] | None = None) -> int:
    services = Lazy()
    parser = argparse.ArgumentParser(prog="python -m oncall", description="on-call scheduling and paging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the service (gunicorn); prepares the database first")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=bounded_int(*PORT), default=8080)
    serve.add_argument("--workers", type=bounded_int(*WORKERS), default=1)
    serve.add_argument(
        "--pidfile", type=Path, default=PIDFILE, help="default $ONCALL_PIDFILE or var/oncall.pid"
    )
    serve.set_defaults(func=cmd_serve)

    who = sub.add_parser("who", help="who is on call now (or --at TIME)")
    who.add_argument("rotation", nargs="?")
    who.add_argument("--at", help=f"a time, e.g. 2026-12-25T03:00+09:00 or tomorrow 09:00 ({TIME_FORMS})")
    who.set_defaults(func=lambda a: cmd_who(services(), a))

    schedule = sub.add_parser("schedule", help="review a rotation's schedule")
    sched_sub = schedule.add_subparsers(dest="schedule_command", required=True)
    preview = sched_sub.add_parser("preview", help="the next weeks as a table")
    preview.add_argument("rotation")
    preview.add_argument("--weeks", type=bounded_int(*WEEKS), default=8, help="1 to 520 (default 8)")
    preview.add_argument("--from", dest="start", help=f"start (default now; {TIME_FORMS})")
    preview.set_defaults(func=lambda a: cmd_preview(services(), a))

    config = sub.add_parser("config", help="check, diff and apply the YAML configuration")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    check = config_sub.add_parser("check", help="validate a file; every problem with its line")
    check.add_argument("file", nargs="?")
    check.set_defaults(func=cmd_config_check)
    diff = config_sub.add_parser("diff", help="which shifts a new file changes, per person")
    diff.add_argument("file")
    diff.add_argument("--weeks", type=bounded_int(*WEEKS), default=8, help="1 to 520 (default 8)")
    diff.set_defaults(func=lambda a: cmd_config_diff(services(), a))
    apply = config_sub.add_parser("apply", help="validate the configured file and tell the service to reload")
    apply.set_defaults(func=cmd_config_apply)

    token = sub.add_parser("token", help="API tokens (hashed at rest, shown once)")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create")
    create.add_argument("name")
    create.set_defaults(func=lambda a: cmd_token(services(), "create", a.name))
    listing = token_sub.add_parser("list")
    listing.set_defaults(func=lambda a: cmd_token(services(), "list", None))
    revoke = token_sub.add_parser("revoke")
    revoke.add_argument("name")
    revoke.set_defaults(func=lambda a: cmd_token(services(), "revoke", a.name))

    reply = sub.add_parser("reply", help="simulate an SMS reply from a person (console notifier)")
    reply.add_argument("person")
    reply.add_argument("text")
    reply.set_defaults(func=lambda a: cmd_reply(services(), a))

    outbox = sub.add_parser("outbox", help="the most recent pages")
    outbox.add_argument("--limit", type=bounded_int(*LIMIT), default=20, help="1 to 10000 (default 20)")
    outbox.set_defaults(func=lambda a: cmd_outbox(services(), a))

    ui = sub.add_parser("ui", help="web UI sign-ins")
    ui_sub = ui.add_subparsers(dest="ui_command", required=True)
    user = ui_sub.add_parser("user", help="set a person's web UI password (read from stdin or a prompt)")
    user.add_argument("person")
    user.set_defaults(func=lambda a: cmd_ui_user(services(), a))

    calendar_cli.register(sub, services)
    audit_cli.register(sub, services)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except TimeArgError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2


def cmd_serve(args) -> int:
    return run_server(args.host, args.port, args.workers, args.pidfile)


def _at(value: str | None, services: Runtime, name: str, timezone: str) -> datetime:
    """The instant a time argument names (now when absent); a time without offset is in `timezone`."""
    now = services.clock.now()
    if value is None:
        return now
    return parse_instant(value, now=now, tz=ZoneInfo(timezone), name=name)


def cmd_who(services: Runtime, args) -> int:
    config = services.config
    keys = [args.rotation] if args.rotation else list(config.rotations)
    unknown = [k for k in keys if k not in config.rotations]
    if unknown:
        print(f"unknown rotation {unknown[0]!r}; known: {', '.join(config.rotations)}", file=sys.stderr)
        return 2
    timezone = config.rotations[args.rotation].timezone if args.rotation else config.timezone
    at = _at(args.at, services, "--at", timezone)
    with services.db.session() as session:
        extra = active_overrides(session)
    for key in keys:
        tz = config.rotations[key].timezone
        piece = on_call_at(config, key, at, extra)
        if piece is None or piece.person is None:
            print(f"{key}: nobody on call (gap)")
            continue
        name = config.people[piece.person].name
        note = f" ({piece.kind}, for {config.people[piece.replaces].name})" if piece.replaces else ""
        print(f"{key}: {name}{note} since {_local(piece.start, tz)} until {_local(piece.end, tz)}")
    return 0


def _local(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M %Z")


def cmd_preview(services: Runtime, args) -> int:
    config = services.config
    if args.rotation not in config.rotations:
        print(f"unknown rotation {args.rotation!r}; known: {', '.join(config.rotations)}", file=sys.stderr)
        return 2
    start = _at(args.start, services, "--from", config.rotations[args.rotation].timezone)
    with services.db.session() as session:
        extra = active_overrides(session)
    print(preview_table(config, args.rotation, start, args.weeks, extra))
    return 0


def cmd_config_check(args) -> int:
    path = Path(args.file or Settings.from_env().config_path)
    text, unreadable = read_config_file(path)
    if text is None:
        for problem in unreadable:
            print(problem, file=sys.stderr)
        return 2
    config, problems = check_config(text, str(path))
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors = [p for p in problems if p.severity == "error"]
    if errors or config is None:
        print(f"{path}: {len(errors)} error(s)", file=sys.stderr)
        return 1
    print(
        f"{path}: valid ({len(config.people)} people, {len(config.rotations)} rotations, "
        f"{len(config.escalations)} escalation policies)"
    )
    return 0


def cmd_config_diff(services: Runtime, args) -> int:
    path = Path(args.file)
    text, problems = read_config_file(path)
    new, problems = check_config(text, str(path)) if text is not None else (None, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors or new is None:
        for problem in errors:
            print(problem, file=sys.stderr)
        return 1
    start = services.clock.now()
    changes = diff_schedules(services.config, new, start, start + timedelta(weeks=args.weeks))
    names = {k: p.name for k, p in {**services.config.people, **new.people}.items()}
    print(render_diff(changes, names) if changes else f"no shift changes in the next {args.weeks} weeks")
    return 0


def cmd_config_apply(args) -> int:
    result = cmd_config_check(args=argparse.Namespace(file=None))
    if result != 0:
        print("not applied: the running service keeps its current configuration", file=sys.stderr)
        return result
    try:
        pid = int(PIDFILE.read_text().strip())
        os.kill(pid, signal.SIGHUP)
        print(f"applied: asked the service (pid {pid}) to reload")
    except (OSError, ValueError):
        print("valid; no running service found (it reloads the file by itself when it changes)")
    return 0


def cmd_token(services: Runtime, action: str, name: str | None) -> int:
    now = services.clock.now()
    try:
        with services.db.session() as session:
            if action == "create":
                token = create_token(session, name, now)
                print(f"token {name!r} created; it is shown only this once:")
                print(token)
            elif action == "revoke":
                revoke_token(session, name, now)
                print(f"token {name!r} revoked")
            else:
                for info in list_tokens(session):
                    state = f"revoked {info.revoked_at:%Y-%m-%d}" if info.revoked_at else "active"
                    used = (
                        f"last used {info.last_used_at:%Y-%m-%d %H:%M}" if info.last_used_at else "never used"
                    )
                    print(f"{info.name:<24} {info.prefix}…  {state:<18} {used}")
    except TokenError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def cmd_reply(services: Runtime, args) -> int:
    person = services.config.people.get(args.person)
    if person is None:
        print(f"unknown person {args.person!r}", file=sys.stderr)
        return 2
    with services.db.session() as session:
        answer = handle_sms(
            session, services.config, person.phone, args.text, services.clock.now(), follow=FOLLOW_UPS
        )
    print(answer if answer is not None else "(no reply)")
    return 0


def cmd_ui_user(services: Runtime, args) -> int:
    if args.person not in services.config.people:
        print(f"unknown person {args.person!r}; known: {', '.join(services.config.people)}", file=sys.stderr)
        return 2
    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        with services.db.session() as session:
            create_user(session, args.person, password, services.clock.now())
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{args.person} can sign in to the web UI")
    return 0


def cmd_outbox(services: Runtime, args) -> int:
    with services.db.session() as session:
        rows = session.scalars(select(Notification).order_by(Notification.id.desc()).limit(args.limit))
        for n in rows:
            phone = services.config.people[n.person].phone if n.person in services.config.people else ""
            print(
                f"#{n.id:<5} alert {n.alert_id:<5} {n.channel:<5} {n.person:<8} {mask_phone(phone):<16} "
                f"{n.status:<10} {n.body}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
