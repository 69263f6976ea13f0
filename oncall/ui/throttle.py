"""The sign-in throttle: too many wrong passwords for one login, or from one address, wait.

Failures are rows in the database (`LoginFailure`), so every gunicorn worker and every instance
counts the same ones. A refused attempt is not recorded (the wait does not grow while someone
keeps trying), and the password is not even checked while the wait lasts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from oncall.ui.models import LoginFailure

MAX_KEY = 100  # the column size of LoginFailure.login and .address


@dataclass(frozen=True)
class ThrottleRules:
    """At most `per_login` failures per login and `per_address` per client address in `window`."""

    per_login: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


RULES = ThrottleRules()


def retry_after(
    session: Session, login: str, address: str, now: datetime, rules: ThrottleRules = RULES
) -> int | None:
    """Seconds to wait before `login` may try again from `address`, or None when it may now."""
    waits = [
        _wait(session, LoginFailure.login == login[:MAX_KEY], rules.per_login, now, rules.window),
        _wait(session, LoginFailure.address == address[:MAX_KEY], rules.per_address, now, rules.window),
    ]
    longest = max((w for w in waits if w is not None), default=None)
    return None if longest is None else max(1, math.ceil(longest))


def record_failure(
    session: Session, login: str, address: str, now: datetime, rules: ThrottleRules = RULES
) -> None:
    """Count a wrong password; rows older than the window are deleted on the way."""
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - rules.window))
    session.add(LoginFailure(login=login[:MAX_KEY], address=address[:MAX_KEY], at=now))


def forget_failures(session: Session, login: str) -> None:
    """A right password clears that login's failures (the address keeps its count)."""
    session.execute(delete(LoginFailure).where(LoginFailure.login == login[:MAX_KEY]))


def _wait(session: Session, which, limit: int, now: datetime, window: timedelta) -> float | None:
    """Seconds until fewer than `limit` of the failures `which` selects are inside the window."""
    times = list(
        session.scalars(
            select(LoginFailure.at).where(which, LoginFailure.at > now - window).order_by(LoginFailure.at)
        )
    )
    if len(times) < limit:
        return None
    # Once the (len - limit + 1) oldest have aged out, limit - 1 remain: one more try is allowed.
    freed_at = times[len(times) - limit] + window
    return (freed_at - now).total_seconds()
