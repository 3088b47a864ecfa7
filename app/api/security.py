"""Session checks for the API: CSRF on unsafe methods, 401 for anonymous callers."""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from flask_login import current_user

from app.extensions import login_manager
from app.services.errors import DomainError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_EXEMPT = {"api.auth.login"}


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"


class NotLoggedIn(DomainError):
    status = 401
    code = "unauthorized"


@login_manager.unauthorized_handler
def unauthorized() -> None:
    """Anonymous callers of protected views get a 401 in the error shape."""
    raise NotLoggedIn("Log in first.")


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
    if not expected or not hmac.compare_digest(expected, sent):
        if not current_user.is_authenticated:
            raise NotLoggedIn("Log in first.")
        raise CsrfFailed("Missing or wrong X-CSRF-Token header.")
