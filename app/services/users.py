"""Users: accounts, passwords and the directory of colleagues."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import User
from app.services.errors import Conflict, Invalid

MIN_PASSWORD = 10


def find_by_email(session: Session, email: str) -> User | None:
    """Return the user with this e-mail, compared case-insensitively."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_by_email(session, email)
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user


def create_user(session: Session, *, email: str, name: str, password: str, role: str = "sales",
                hash_method: str = "scrypt", **extra) -> User:
    """Create an account; the e-mail must be new and the password long enough."""
    if len(password) < MIN_PASSWORD:
        raise Invalid("Password too short.",
                      fields={"password": [f"At least {MIN_PASSWORD} characters."]})
    if find_by_email(session, email) is not None:
        raise Conflict("This e-mail is already used.", code="email_taken")
    user = User(email=email.strip().lower(), name=name, role=role, **extra)
    user.set_password(password, method=hash_method)
    session.add(user)
    session.flush()
    return user


def directory(session: Session) -> list[User]:
    """Active colleagues, by name (owner and participant pickers)."""
    return list(session.scalars(
        select(User).where(User.active.is_(True), User.deleted_at.is_(None)).order_by(User.name)))


def user_zone(user: User) -> ZoneInfo:
    """The user's time zone (UTC if it is not one we know)."""
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
