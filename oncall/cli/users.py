"""`ui user PERSON`: a web UI password (its hashing lives with the UI's sign-in, which loads Flask)."""

from __future__ import annotations

import argparse
import getpass
import sys

from oncall.cli.commands import runtime
from oncall.runtime import Runtime
from oncall.ui.auth import create_user


def ui_user(args: argparse.Namespace) -> int:
    """`ui user PERSON` (the password from stdin or a prompt)."""
    return cmd_ui_user(runtime(), args)


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
