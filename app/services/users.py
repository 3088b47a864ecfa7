"""Users: accounts, passwords and the directory of colleagues."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.models import User
from app.services.errors import Conflict, Invalid

MIN_PASSWORD = 10
MAX_PASSWORD = 1000  # what the login form accepts
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


def find_by_email(session: Session, email: str) -> User | None:
    """Return the user with this e-mail, compared case-insensitively."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@cache
def _decoy_hash(method: str) -> str:
    return generate_password_hash("not a password of anyone's", method=method)


def authenticate(session: Session, email: str, password: str,
                 hash_method: str = "scrypt") -> User | None:
    """Return the active user with these credentials, or None."""
    return check_credentials(find_by_email(session, email), password, hash_method)


def check_credentials(user: User | None, password: str, hash_method: str = "scrypt") -> User | None:
    """Return `user` if the password is theirs and they are active, else None; reads nothing
    from the database (the hash is slow: no connection need be held meanwhile).

    An unknown e-mail (None) costs a hash check too, so the answer's timing does not tell
    which e-mails have an account.
    """
    if user is None:
        check_password_hash(_decoy_hash(hash_method), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to accept (lower case)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, *, email: str, name: str) -> list[str]:
    """Why this password may not be chosen by this person (empty: it may)."""
    if len(password) < MIN_PASSWORD:
        return [f"At least {MIN_PASSWORD} characters."]
    if len(password) > MAX_PASSWORD:
        return [f"Longer than maximum length {MAX_PASSWORD}."]
    folded = password.strip().lower()
    email = email.strip().lower()
    own = {email, email.split("@")[0], name.strip().lower(), "".join(name.lower().split())}
    if folded in own:
        return ["Must not be your e-mail or your name."]
    if folded in common_passwords():
        return ["Too common: choose a password others would not guess."]
    return []


def check_password_policy(password: str, *, email: str, name: str) -> None:
    """Raise Invalid (a `password` field error) unless this password may be chosen."""
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise Invalid("This password cannot be used.", fields={"password": problems})


def create_user(session: Session, *, email: str, name: str, password: str, role: str = "sales",
                hash_method: str = "scrypt", **extra) -> User:
    """Create an account; the e-mail must be new and the password acceptable."""
    check_password_policy(password, email=email, name=name)
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
