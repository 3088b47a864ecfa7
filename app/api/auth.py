"""Log in, log out, who am I."""

from __future__ import annotations

import uuid

from flask import Blueprint, session
from flask_login import current_user, login_user, logout_user

from app.api.common import endpoint
from app.api.security import new_csrf_token
from app.extensions import db, login_manager
from app.models import User
from app.schemas.user import login_schema, session_schema
from app.services import users
from app.services.errors import DomainError

bp = Blueprint("auth", __name__, url_prefix="/auth")


class BadCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    return user if user is not None and user.is_active else None


@bp.post("/login")
@endpoint(body=login_schema, out=session_schema, public=True)
def login(data: dict) -> dict:
    """Open a session with e-mail and password."""
    user = users.authenticate(db.session, data["email"], data["password"])
    if user is None:
        raise BadCredentials("Wrong e-mail or password.")
    session.clear()  # a new session at login: nothing carried over from before
    session.permanent = True
    login_user(user)
    return {"user": user, "csrf_token": new_csrf_token()}


@bp.post("/logout")
@endpoint(public=True)
def logout() -> None:
    """Close the session."""
    logout_user()
    session.clear()


@bp.get("/me")
@endpoint(out=session_schema)
def me() -> dict:
    """Return the logged-in user and the session's CSRF token."""
    token = session.get("csrf_token") or new_csrf_token()
    return {"user": current_user, "csrf_token": token}
