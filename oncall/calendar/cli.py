"""`python -m oncall calendar {url,create,rotate,revoke,list}` — manage feed links.

Tokens are stored hashed, so a link can be shown only when it is made. `url` therefore makes a
new link (old ones keep working) unless given `--token` to format one you already have.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from oncall.calendar.events import FeedSubject
from oncall.calendar.tokens import (
    UnknownSubject,
    feed_links,
    issue_token,
    list_tokens,
    resolve_subject,
    revoke_tokens,
    rotate_token,
    subject_for_token,
)
from oncall.plural import plural
from oncall.runtime import Runtime

SUBJECT_HELP = "a person or rotation key (person:KEY or rotation:KEY when a key is both)"


def register(subparsers: argparse._SubParsersAction, services_factory: Callable[[], Runtime]) -> None:
    """Add the `calendar` command; each subcommand sets `func(args) -> int` as its handler."""
    calendar = subparsers.add_parser("calendar", help="calendar feed links (iCal subscriptions)")
    commands = calendar.add_subparsers(dest="calendar_command", required=True)

    url = commands.add_parser("url", help="print the http(s) and webcal links of a feed")
    url.add_argument("subject", help=SUBJECT_HELP)
    url.add_argument("--token", help="format this existing token instead of making a new one")
    url.set_defaults(func=lambda args: _url(services_factory(), args.subject, args.token))

    create = commands.add_parser("create", help="make a new secret link (shown once)")
    create.add_argument("subject", help=SUBJECT_HELP)
    create.set_defaults(func=lambda args: _create(services_factory(), args.subject, rotate=False))

    rotate = commands.add_parser("rotate", help="revoke a feed's links and make a new one")
    rotate.add_argument("subject", help=SUBJECT_HELP)
    rotate.set_defaults(func=lambda args: _create(services_factory(), args.subject, rotate=True))

    revoke = commands.add_parser("revoke", help="revoke every link of a feed (they answer 404)")
    revoke.add_argument("subject", help=SUBJECT_HELP)
    revoke.set_defaults(func=lambda args: _revoke(services_factory(), args.subject))

    listing = commands.add_parser("list", help="list feed links (hashes only)")
    listing.set_defaults(func=lambda args: _list(services_factory()))


def _url(services: Runtime, name: str, token: str | None) -> int:
    subject = _subject(services, name)
    if subject is None:
        return 2
    if token is not None:
        with services.db.session() as session:
            if subject_for_token(session, token) != subject:
                print(f"that token is not a live link of {subject}", file=sys.stderr)
                return 1
        _print_links(services, subject, token)
        return 0
    return _create(services, name, rotate=False)


def _create(services: Runtime, name: str, rotate: bool) -> int:
    subject = _subject(services, name)
    if subject is None:
        return 2
    with services.db.session() as session:
        now = services.clock.now()
        token = rotate_token(session, subject, now) if rotate else issue_token(session, subject, now)
    _print_links(services, subject, token)
    print("Only a hash is kept: this link cannot be shown again.")
    print(token)
    return 0


def _revoke(services: Runtime, name: str) -> int:
    subject = _subject(services, name)
    if subject is None:
        return 2
    with services.db.session() as session:
        count = revoke_tokens(session, subject, services.clock.now())
    print(f"revoked {plural(count, 'link')} of {subject}")
    return 0


def _list(services: Runtime) -> int:
    with services.db.session() as session:
        rows = list_tokens(session)
    if not rows:
        print("no calendar links")
        return 0
    print(f"{'feed':<28} {'created (UTC)':<17} {'status':<24} hash")
    for row in rows:
        status = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "live"
        subject = f"{row.subject_kind}:{row.subject_key}"
        print(f"{subject:<28} {row.created_at:%Y-%m-%d %H:%M} {status:<24} {row.token_hash[:12]}…")
    return 0


def _subject(services: Runtime, name: str) -> FeedSubject | None:
    try:
        return resolve_subject(services.config, name)
    except UnknownSubject as error:
        print(error, file=sys.stderr)
        return None


def _print_links(services: Runtime, subject: FeedSubject, token: str) -> None:
    links = feed_links(services.settings.public_url, token)
    scheme = links.http.split("://", 1)[0]  # http on a laptop demo: never labelled https
    print(f"Calendar feed of {subject}:")
    print(f"  {scheme + ':':<7} {links.http}")
    print(f"  webcal: {links.webcal}")
