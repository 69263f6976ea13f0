"""The commands that work on the running service's data: each builds the runtime, as the server does.

Imported only when one of them runs (`oncall.cli.main` names them), so `--help` and `config check`
never load the database layer, the engine or the auditor.
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from oncall.cli.configuring import person_names, shift_changes_text
from oncall.cli.fallback import runtime_or_last_valid
from oncall.configfile.loader import check_config, read_config_file
from oncall.escalation.followups import FOLLOW_UPS
from oncall.overrides.service import active_overrides
from oncall.paging.conversation import answer_sms
from oncall.paging.models import Notification
from oncall.paging.paged import paged_person
from oncall.paging.redact import mask_phone
from oncall.paging.replies import parse_reply
from oncall.runtime import Runtime, build_runtime
from oncall.schedule import on_call_at, preview_table
from oncall.schedule.rephase import render_rephasings, rephasings
from oncall.timeargs import parse_instant
from oncall.tokens.service import TokenError, create_token, list_tokens, revoke_token


@functools.cache
def runtime() -> Runtime:
    """The runtime, built once per command on first use, exactly as the server builds it."""
    built = build_runtime()
    # What the imports made lives until this short process exits: frozen, the collector no longer
    # walks it during the command nor once more at exit (about 70 ms of a 0.4 s command).
    gc.freeze()
    return built


def who(args: argparse.Namespace) -> int:
    """`who [ROTATION] [--at TIME]`; from the last valid configuration while the file is invalid."""
    return cmd_who(runtime_or_last_valid(runtime), args)


def preview(args: argparse.Namespace) -> int:
    """`schedule preview ROTATION [--weeks N] [--from TIME]`."""
    return cmd_preview(runtime(), args)


def config_diff(args: argparse.Namespace) -> int:
    """`config diff FILE [--weeks N]`."""
    return cmd_config_diff(runtime(), args)


def token(args: argparse.Namespace) -> int:
    """`token create|list|revoke [NAME]`."""
    return cmd_token(runtime(), args.token_command, getattr(args, "name", None))


def reply(args: argparse.Namespace) -> int:
    """`reply [PERSON] TEXT`."""
    return cmd_reply(runtime(), args)


def outbox(args: argparse.Namespace) -> int:
    """`outbox [--limit N]`."""
    return cmd_outbox(runtime(), args)


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
    # A re-phased rotation comes first and loud: it hides among the expected changes below.
    names = person_names(services.config, new)
    print(render_rephasings(rephasings(services.config, new, start), names), end="")
    print(shift_changes_text(services.config, new, start, args.weeks))
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
    """`reply [PERSON] TEXT`: without PERSON, as the person the reply's code was sent to."""
    key = args.person or _paged_sender(services, args.text)
    if key is None:
        return 2
    person = services.config.people.get(key)
    if person is None:
        print(f"unknown person {key!r}; known: {', '.join(services.config.people)}", file=sys.stderr)
        return 2
    if person.phone is None:
        print(f"{key} has no phone number in the configuration, so cannot reply by SMS", file=sys.stderr)
        return 2
    with services.db.session() as session:
        answer = answer_sms(
            session,
            services.config,
            person.phone,
            args.text,
            services.clock.now(),
            follow=FOLLOW_UPS,
            desk=services.incident_desk,
        )
    print(answer.text or "(no reply)", file=sys.stdout if answer.understood else sys.stderr)
    # Not understood, or naming no alert of theirs: nothing was done, so a script must not go on.
    return 0 if answer.understood else 1


def _paged_sender(services: Runtime, text: str) -> str | None:
    """The person a reply without PERSON comes from (said on stderr), or None after saying why."""
    reply = parse_reply(text)
    with services.db.session() as session:
        key = paged_person(session, reply)
    if key is None:
        what = f"code {reply.code}" if reply.code is not None else "any page"
        print(f"nobody has been sent {what}; name who replies: reply PERSON {text!r}", file=sys.stderr)
        return None
    name = services.config.people[key].name if key in services.config.people else key
    print(f"replying as {name} ({key}), who was paged", file=sys.stderr)
    return key


def cmd_outbox(services: Runtime, args) -> int:
    with services.db.session() as session:
        rows = session.scalars(select(Notification).order_by(Notification.id.desc()).limit(args.limit))
        for n in rows:
            phone = services.config.people[n.person].phone if n.person in services.config.people else ""
            print(
                f"#{n.id:<5} alert {n.alert_id if n.alert_id is not None else '-':<5} {n.channel:<5} {n.person:<8} {mask_phone(phone):<16} "
                f"{n.status:<10} {n.body}"
            )
    return 0
