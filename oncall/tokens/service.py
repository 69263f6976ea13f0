"""Create, list, revoke and check API tokens (bearer tokens for alert sources and the API)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.tokens.models import ApiToken

TOKEN_PREFIX = "oc_"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # "token:<name>" fits a 100-character actor column


class TokenError(ValueError):
    """A token operation that cannot be done (bad name, duplicate, unknown)."""


@dataclass(frozen=True)
class TokenInfo:
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def hash_token(token: str) -> str:
    """SHA-256 hex of a token; tokens carry 256 random bits, so no salt or stretching is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, now: datetime) -> str:
    """Make a token called `name` and return it; only its hash is kept."""
    if not NAME_RE.match(name):
        raise TokenError(f"token name {name!r}: use letters, digits, '_', '.', '-' (at most 64)")
    existing = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if existing is not None and existing.revoked_at is None:
        raise TokenError(f"a token named {name!r} exists already; revoke it first")
    if existing is not None:
        session.delete(existing)
        session.flush()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=hash_token(token), prefix=token[:8], created_at=now))
    return token


def revoke_token(session: Session, name: str, now: datetime) -> None:
    row = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if row is None or row.revoked_at is not None:
        raise TokenError(f"no active token named {name!r}")
    row.revoked_at = now


def list_tokens(session: Session) -> list[TokenInfo]:
    rows = session.scalars(select(ApiToken).order_by(ApiToken.name))
    return [TokenInfo(r.name, r.prefix, r.created_at, r.revoked_at, r.last_used_at) for r in rows]


def check_token(session: Session, token: str, now: datetime) -> str | None:
    """The name of the active token `token`, or None. Records when it was last used."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    # Writing on every request would make each alert POST pay for an extra row update.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now
    return row.name
