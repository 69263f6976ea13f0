"""Secret feed tokens: issued once, stored as sha256 only, rotatable and revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.calendar.events import FeedSubject
from oncall.calendar.models import CalendarToken
from oncall.config.model import Config


class UnknownSubject(LookupError):
    """A name that is neither a person nor a rotation (or, ambiguously, both)."""


@dataclass(frozen=True)
class FeedLinks:
    """The two ways to subscribe: a plain link and a webcal:// one calendar apps open directly."""

    http: str
    webcal: str


def hash_token(token: str) -> str:
    """The sha256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def resolve_subject(config: Config, name: str) -> FeedSubject:
    """The feed a CLI argument names: `kim`, `payments`, or explicitly `person:kim`."""
    kind, _, key = name.partition(":")
    if key and kind in ("person", "rotation"):
        known = config.people if kind == "person" else config.rotations
        if key not in known:
            raise UnknownSubject(f"unknown {kind} {key!r}")
        return FeedSubject(kind, key)
    matches = [
        FeedSubject(kind, name)
        for kind, known in (("person", config.people), ("rotation", config.rotations))
        if name in known
    ]
    if not matches:
        raise UnknownSubject(f"{name!r} is neither a person nor a rotation")
    if len(matches) > 1:
        raise UnknownSubject(
            f"{name!r} is both a person and a rotation: say person:{name} or rotation:{name}"
        )
    return matches[0]


def subject_exists(config: Config, subject: FeedSubject) -> bool:
    """Whether the configuration still has the person or rotation a token was made for."""
    known = config.people if subject.kind == "person" else config.rotations
    return subject.key in known


def issue_token(session: Session, subject: FeedSubject, now: datetime) -> str:
    """A new secret token for `subject`; only its hash is stored, so show it now or never.

    Never one that starts with "-": `calendar url kim --token -Xy…` would read it as an option.
    """
    token = secrets.token_urlsafe(32)
    while token.startswith("-"):
        token = secrets.token_urlsafe(32)
    session.add(
        CalendarToken(
            subject_kind=subject.kind,
            subject_key=subject.key,
            token_hash=hash_token(token),
            created_at=now,
        )
    )
    session.flush()
    return token


def revoke_tokens(session: Session, subject: FeedSubject, now: datetime) -> int:
    """Revoke every live token of `subject`; returns how many."""
    live = _live_tokens(session, subject)
    for row in live:
        row.revoked_at = now
    session.flush()
    return len(live)


def rotate_token(session: Session, subject: FeedSubject, now: datetime) -> str:
    """Revoke the subject's tokens and issue a fresh one (old links stop working at once)."""
    revoke_tokens(session, subject, now)
    return issue_token(session, subject, now)


def subject_for_token(session: Session, token: str) -> FeedSubject | None:
    """The feed a live token opens, or None for an unknown or revoked token."""
    row = session.scalar(
        select(CalendarToken).where(
            CalendarToken.token_hash == hash_token(token),
            CalendarToken.revoked_at.is_(None),
        )
    )
    return FeedSubject(row.subject_kind, row.subject_key) if row else None


def list_tokens(session: Session) -> list[CalendarToken]:
    """Every token ever issued, newest first (hashes only)."""
    return list(session.scalars(select(CalendarToken).order_by(CalendarToken.id.desc())))


def feed_links(public_url: str, token: str) -> FeedLinks:
    """The subscription links of `token` under the service's public URL."""
    http = f"{public_url.rstrip('/')}/calendar/{token}.ics"
    webcal = "webcal://" + http.split("://", 1)[1]
    return FeedLinks(http=http, webcal=webcal)


def _live_tokens(session: Session, subject: FeedSubject) -> list[CalendarToken]:
    return list(
        session.scalars(
            select(CalendarToken).where(
                CalendarToken.subject_kind == subject.kind,
                CalendarToken.subject_key == subject.key,
                CalendarToken.revoked_at.is_(None),
            )
        )
    )
