"""Sign-in, server-side sessions, the sign-in throttle and CSRF for the web UI.

Reading may be open; every POST needs a CSRF token matching the session's, and every POST but
the sign-in form needs a signed-in person. `ONCALL_UI_READ_LOGIN=1` closes reading too.

A signed-in session is a row of `ui_sessions`: the signed Flask cookie carries a random session
id, the table only its sha256. Signing out deletes the row, so a copied cookie stops working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response, g, render_template, request, session
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from oncall.ui import throttle
from oncall.ui.models import UISession, UIUser
from oncall.web.context import current_runtime

SESSION_LIFETIME = timedelta(hours=12)
SESSION_ID = "sid"  # the cookie's key for the server-side session id
CSRF_FIELD = "csrf_token"
OPEN_ENDPOINTS = ("ui.login", "ui.logout", "ui.static")
# Checked against when the person is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password")


def create_user(session: Session, person: str, password: str, now: datetime | None = None) -> UIUser:
    """Give `person` (a config key) a UI password; replaces the password when they have one."""
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    user = session.scalars(select(UIUser).where(UIUser.person == person)).first()
    if user is None:
        user = UIUser(person=person, created_at=now or datetime.now().astimezone())
        session.add(user)
    user.password_hash = generate_password_hash(password)
    session.flush()
    return user


def verify_user(session: Session, person: str, password: str, now: datetime) -> bool:
    """Whether `person` has a UI login with this password; records the sign-in when so."""
    user = session.scalars(select(UIUser).where(UIUser.person == person)).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    if not check_password_hash(user.password_hash, password):
        return False
    user.last_sign_in_at = now
    return True


@dataclass(frozen=True)
class Attempt:
    """The outcome of a sign-in: `ok`, or refused; `retry_after` seconds when throttled."""

    ok: bool
    retry_after: int | None = None


def attempt_sign_in(person: str, password: str, address: str, now: datetime) -> Attempt:
    """Check a password under the throttle; on success the session is signed in."""
    db = current_runtime().db
    with db.session() as dbs:
        wait = throttle.retry_after(dbs, person, address, now)
        if wait is not None:
            return Attempt(ok=False, retry_after=wait)
        ok = verify_user(dbs, person, password, now)
        if ok:
            throttle.forget_failures(dbs, person)
        else:
            throttle.record_failure(dbs, person, address, now)
    if ok:
        sign_in(person, now)
    return Attempt(ok=ok)


def sign_in(person: str, now: datetime) -> None:
    """Start a fresh server-side session for `person` (new id and CSRF token: no fixation)."""
    sid = secrets.token_urlsafe(32)
    with current_runtime().db.session() as dbs:
        dbs.execute(delete(UISession).where(UISession.expires_at <= now))
        dbs.add(
            UISession(id_hash=_hash(sid), person=person, created_at=now, expires_at=now + SESSION_LIFETIME)
        )
    session.clear()
    session.permanent = True
    session[SESSION_ID] = sid
    session[CSRF_FIELD] = secrets.token_urlsafe(32)
    g.ui_person = person


def sign_out() -> None:
    """End the session on the server (its id stops working everywhere) and forget the cookie."""
    sid = session.get(SESSION_ID)
    if sid:
        with current_runtime().db.session() as dbs:
            dbs.execute(delete(UISession).where(UISession.id_hash == _hash(sid)))
    session.clear()
    g.ui_person = None


def current_person() -> str | None:
    """The signed-in person's key, or None: no session, signed out, or past its lifetime."""
    if "ui_person" not in g:
        g.ui_person = _session_person()
    return g.ui_person


def _session_person() -> str | None:
    sid = session.get(SESSION_ID)
    if not isinstance(sid, str):
        return None
    runtime = current_runtime()
    with runtime.db.session() as dbs:
        row = dbs.scalars(select(UISession).where(UISession.id_hash == _hash(sid))).first()
        if row is None or row.expires_at <= runtime.clock.now():
            return None
        return row.person


def _hash(sid: str) -> str:
    """sha256 of a session id: 256 random bits need no salt or stretching."""
    return hashlib.sha256(sid.encode()).hexdigest()


def csrf_token() -> str:
    """This session's CSRF token, created on first use; forms put it in a hidden field."""
    token = session.get(CSRF_FIELD)
    if token is None:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def read_login_required() -> bool:
    """Whether reading pages needs a sign-in too (ONCALL_UI_READ_LOGIN=1)."""
    return current_runtime().settings.ui_read_login


def guard() -> Response | tuple[str, int] | None:
    """Before every UI request: refuse forged forms, writes without sign-in, closed reading."""
    if request.endpoint in ("ui.static",):
        return None
    if request.method == "POST":
        sent = request.form.get(CSRF_FIELD, "")
        expected = session.get(CSRF_FIELD, "")
        if not expected or not hmac.compare_digest(sent, expected):
            return refusal(
                400,
                "This form has expired or did not come from this site. Go back, "
                "reload the page and try again.",
            )
        if request.endpoint not in OPEN_ENDPOINTS and current_person() is None:
            return refusal(401, "Sign in to change anything.")
    elif read_login_required() and request.endpoint not in OPEN_ENDPOINTS and current_person() is None:
        return refusal(401, "Sign in to see this page.")
    return None


def refusal(status: int, message: str) -> tuple[str, int]:
    """A short HTML page saying why the request was refused."""
    return render_template("refused.html", message=message, status=status), status


def too_many_attempts(seconds: int) -> Response:
    """429 with Retry-After: the throttle's answer to one more sign-in attempt."""
    minutes = max(1, -(-seconds // 60))
    body, status = refusal(
        429, f"Too many wrong passwords. Try again in {minutes} minute{'s' if minutes > 1 else ''}."
    )
    return Response(body, status=status, headers={"Retry-After": str(seconds)}, mimetype="text/html")
