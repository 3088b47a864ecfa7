"""Log in, log out, who am I."""

from __future__ import annotations

from flask import Blueprint, current_app, request, session
from flask_login import current_user, login_user, logout_user

from app.api.common import endpoint, write_turn
from app.api.security import (
    forget_session,
    new_csrf_token,
    note_session_use,
    session_token,
    start_session,
    throttle,
)
from app.extensions import db
from app.models import User
from app.models.events import reading
from app.schemas.user import login_schema, session_schema
from app.services import sessions, users
from app.services.errors import DomainError

bp = Blueprint("auth", __name__, url_prefix="/auth")
bp.after_app_request(note_session_use)  # every request of a session, not just /api/auth


class BadCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@bp.post("/login")
@endpoint(body=login_schema, out=session_schema, public=True, turn=False)
def login(data: dict) -> dict:
    """Open a session with e-mail and password (429 after too many failures)."""
    email, ip, rules = data["email"], request.remote_addr, throttle()
    user = _check_password(email, data["password"], ip, rules)
    with write_turn():  # not while hashing: a login would hold up the process's writes
        _refuse_if_throttled(email, ip, rules)  # failures counted meanwhile by other attempts
        if user is None:
            sessions.record_failure(db.session, email, ip, rules)
            db.session.commit()  # counted, although the answer is an error
            raise BadCredentials("Wrong e-mail or password.")
        user = db.session.merge(user, load=False)
        sessions.clear_failures(db.session, email)
        start_session(user)
        login_user(user)
        db.session.commit()
    return {"user": user, "csrf_token": new_csrf_token()}


def _check_password(email: str, password: str, ip: str | None,
                    rules: sessions.Throttle) -> User | None:
    """The account, if the password is right. The hash takes the CPU for a good while: it is
    checked with no transaction open, so it holds neither SQLite's write lock (every writer
    of the app waited behind it), nor the account's turn on PostgreSQL, nor a pooled
    connection (logins took them all and other requests timed out waiting)."""
    with reading():
        _refuse_if_throttled(email, ip, rules)
        found = users.find_by_email(db.session, email)
        if found is not None:
            db.session.expunge(found)  # kept as read, through the rollback
        db.session.rollback()
    return users.check_credentials(found, password, current_app.config["PASSWORD_HASH_METHOD"])


def _refuse_if_throttled(email: str, ip: str | None, rules: sessions.Throttle) -> None:
    wait = sessions.retry_after(db.session, email, ip, rules)
    if wait:
        raise TooManyAttempts("Too many failed logins: try again later.", retry_after=wait)


@bp.post("/logout")
@endpoint(public=True, status=204)
def logout() -> None:
    """Close the session: its cookie, even kept elsewhere, logs nobody in any more."""
    token = session_token()
    if token:
        sessions.revoke(db.session, token)
    logout_user()
    forget_session()


@bp.get("/me")
@endpoint(out=session_schema)
def me() -> dict:
    """Return the logged-in user and the session's CSRF token."""
    token = session.get("csrf_token") or new_csrf_token()
    return {"user": current_user, "csrf_token": token}
