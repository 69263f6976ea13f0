"""Sign-in, CSRF and session expiry for the web UI.

Reading may be open; every POST needs a CSRF token matching the session's, and every POST but
the sign-in form needs a signed-in person. `ONCALL_UI_READ_LOGIN=1` closes reading too.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from flask import Response, render_template, request, session
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from oncall.services import current_services
from oncall.ui.models import UIUser

SESSION_LIFETIME = timedelta(hours=12)
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


def sign_in(person: str, now: datetime) -> None:
    """Start a fresh session for `person` (a new CSRF token too, against session fixation)."""
    session.clear()
    session.permanent = True
    session["person"] = person
    session["signed_in_at"] = now.timestamp()
    session[CSRF_FIELD] = secrets.token_urlsafe(32)


def sign_out() -> None:
    """Forget the session."""
    session.clear()


def current_person() -> str | None:
    """The signed-in person's key, or None (also once the session is older than its lifetime)."""
    person = session.get("person")
    if person is None:
        return None
    now = current_services().clock.now()
    if now.timestamp() - session.get("signed_in_at", 0) > SESSION_LIFETIME.total_seconds():
        sign_out()
        return None
    return person


def csrf_token() -> str:
    """This session's CSRF token, created on first use; forms put it in a hidden field."""
    token = session.get(CSRF_FIELD)
    if token is None:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def read_login_required() -> bool:
    """Whether reading pages needs a sign-in too (ONCALL_UI_READ_LOGIN=1)."""
    return current_services().settings.ui_read_login


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
