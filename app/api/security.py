"""Session checks for the API: server-side sessions, CSRF on unsafe methods, 401 for
anonymous callers."""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import timedelta

from flask import Response, current_app, g, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, login_manager
from app.models import User
from app.models.events import writing
from app.services import sessions
from app.services.errors import DomainError

log = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_EXEMPT = {"api.auth.login"}
TOKEN_KEY = "sid"  # the session record's token, in the signed session cookie


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"


class NotLoggedIn(DomainError):
    status = 401
    code = "unauthorized"


def lifetime() -> sessions.Lifetime:
    """How long sessions last, from the configuration."""
    config = current_app.config
    return sessions.Lifetime(idle=timedelta(seconds=config["PERMANENT_SESSION_LIFETIME"]),
                             absolute=timedelta(days=config["SESSION_MAX_DAYS"]))


def throttle() -> sessions.Throttle:
    """The failed-login limits, from the configuration."""
    config = current_app.config
    return sessions.Throttle(max_failures=config["LOGIN_MAX_FAILURES"],
                             window=timedelta(minutes=config["LOGIN_WINDOW_MINUTES"]),
                             ip_max_failures=config["LOGIN_IP_MAX_FAILURES"])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a live session record whose token the cookie carries, else nobody."""
    token = session_token()
    if token is None:
        return None
    found = sessions.find_session(db.session, token, lifetime())
    if found is None or str(found.user_id) != user_id or not found.user.is_active:
        return None
    if sessions.needs_touch(found):
        g.touch_session = found.id
        session.modified = True  # re-sign the cookie: a fresh age, as last_seen_at gets
    return found.user


@login_manager.unauthorized_handler
def unauthorized() -> None:
    """Anonymous callers of protected views get a 401 in the error shape."""
    raise NotLoggedIn("Log in first.")


def session_token() -> str | None:
    """The token of this request's session record, if it has one."""
    token = session.get(TOKEN_KEY)
    return token if isinstance(token, str) else None


def start_session(user: User) -> None:
    """Replace whatever session the caller had by a new one for `user`: new record and
    token, nothing carried over (a cookie planted before the login is worth nothing)."""
    old = session_token()
    if old:
        sessions.revoke(db.session, old)
    session.clear()
    session.permanent = True
    session[TOKEN_KEY] = sessions.open_session(db.session, user, lifetime())


def forget_session() -> None:
    """Empty the session cookie (logout)."""
    session.clear()


def note_session_use(response: Response) -> Response:
    """After a request, write the session's last_seen_at if it is stale (in its own short
    transaction: a GET holds no write lock to do it in)."""
    session_id = g.pop("touch_session", None)
    if session_id is None:
        return response
    try:
        db.session.rollback()
        with writing():
            sessions.touch(db.session, session_id)
            db.session.commit()
    except SQLAlchemyError:  # bookkeeping only: never fail the answer for it
        db.session.rollback()
        log.warning("could not note the use of a session", exc_info=True)
    return response


def new_csrf_token() -> str:
    """Bind a fresh CSRF token to the session and return it."""
    session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def check_csrf() -> None:
    """Unsafe methods must send back, in X-CSRF-Token, the token bound to the session."""
    if request.method in SAFE_METHODS or request.endpoint in CSRF_EXEMPT:
        return
    expected = session.get("csrf_token")
    sent = request.headers.get("X-CSRF-Token", "")
    # compare_digest refuses non-ASCII str: compare bytes, so "é" is a wrong token, not a 500.
    if not expected or not hmac.compare_digest(expected.encode(), sent.encode("utf-8",
                                                                              "replace")):
        if not current_user.is_authenticated:
            raise NotLoggedIn("Log in first.")
        raise CsrfFailed("Missing or wrong X-CSRF-Token header.")
