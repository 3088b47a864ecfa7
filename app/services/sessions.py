"""Server-side sessions (open, find, revoke) and the throttling of failed logins.

Flask's session is a signed cookie: on its own, a copy taken before a logout would still be
accepted. So the cookie also carries a random token whose record lives here, and a session
is only as good as that record (see docs/decisions.md).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from app.models import LoginFailure, User, UserSession, utcnow

TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often


@dataclass(frozen=True)
class Lifetime:
    """How long a session lasts: idle (no request) and absolute (since its login)."""

    idle: timedelta
    absolute: timedelta


def digest(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, lifetime: Lifetime) -> str:
    """Record a new session for `user` and return its token (for the cookie only)."""
    now = utcnow()
    session.execute(delete(UserSession).where(  # this user's dead sessions: forgotten
        UserSession.user_id == user.id,
        or_(UserSession.revoked_at.is_not(None),
            UserSession.created_at < now - lifetime.absolute,
            UserSession.last_seen_at < now - lifetime.idle)))
    token = secrets.token_urlsafe(32)
    session.add(UserSession(id=digest(token), user_id=user.id, created_at=now, last_seen_at=now))
    session.flush()
    return token


# Read on every request: the record and its user in one query, the statement built once
# (building the query and its loader options cost more than running it).
# The session record is read as columns, not as an object: only its user is one.
_SESSION_AND_USER = (select(User, UserSession.id, UserSession.created_at,
                            UserSession.last_seen_at, UserSession.revoked_at)
                     .join(UserSession, UserSession.user_id == User.id)
                     .where(UserSession.id == bindparam("digest")))


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A live session record as a request reads it, with its user."""

    id: str
    user: User
    last_seen_at: datetime

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id


def find_session(session: Session, token: str, lifetime: Lifetime) -> LiveSession | None:
    """The live session of this token, with its user loaded, or None (unknown, revoked or
    expired)."""
    now = utcnow()
    row = session.execute(_SESSION_AND_USER, {"digest": digest(token)}).first()
    if row is None:
        return None
    user, session_id, created_at, last_seen_at, revoked_at = row
    if (revoked_at is not None or created_at < now - lifetime.absolute
            or last_seen_at < now - lifetime.idle):
        return None
    return LiveSession(session_id, user, last_seen_at)


def needs_touch(found: LiveSession) -> bool:
    """Whether the session's last_seen_at is old enough to be written again."""
    return found.last_seen_at < utcnow() - TOUCH_EVERY


def touch(session: Session, session_id: str) -> None:
    """Note that the session was used now."""
    session.execute(update(UserSession).where(UserSession.id == session_id)
                    .values(last_seen_at=utcnow()))


def revoke(session: Session, token: str) -> None:
    """End the session of this token (logout); nothing happens for an unknown one."""
    session.execute(update(UserSession).where(UserSession.id == digest(token),
                                              UserSession.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def revoke_all(session: Session, user_id: uuid.UUID) -> int:
    """End every session of a user; return how many were live."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.revoked_at.is_(None))
                             .values(revoked_at=utcnow()))
    return result.rowcount


@dataclass(frozen=True)
class Throttle:
    """At most `max_failures` failed logins per account (and `ip_max_failures` per client
    address, 0: no such cap) within `window`."""

    max_failures: int
    window: timedelta
    ip_max_failures: int = 0


def account_key(email: str) -> str:
    """The throttling key of an e-mail as typed: the same for every spelling that logs in."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _serialise_account(session: Session, account: str) -> None:
    # PostgreSQL: concurrent attempts on one account (any process) take turns, so ten
    # failures cannot be counted as nine by two requests at once. SQLite: the write lock
    # taken at BEGIN does the same already.
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(bytes.fromhex(account[:16]), "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _wait(session: Session, where, limit: int, throttle: Throttle, now: datetime) -> int:
    """Seconds until fewer than `limit` failures matching `where` remain in the window."""
    since = now - throttle.window
    count = session.scalar(select(func.count()).select_from(LoginFailure)
                           .where(where, LoginFailure.at > since))
    if count < limit:
        return 0
    # The attempt is allowed again once the (count - limit + 1)th oldest failure expires.
    freed_by = session.scalar(select(LoginFailure.at).where(where, LoginFailure.at > since)
                              .order_by(LoginFailure.at).offset(count - limit).limit(1))
    return max(1, math.ceil((freed_by + throttle.window - now).total_seconds()))


def retry_after(session: Session, email: str, ip: str | None, throttle: Throttle) -> int:
    """Seconds the caller must wait before trying this account (or from this address), 0 if
    it may try now."""
    now, account = utcnow(), account_key(email)
    _serialise_account(session, account)
    wait = _wait(session, LoginFailure.account == account, throttle.max_failures, throttle, now)
    if throttle.ip_max_failures > 0 and ip:
        wait = max(wait, _wait(session, LoginFailure.ip == ip, throttle.ip_max_failures,
                               throttle, now))
    return wait


def record_failure(session: Session, email: str, ip: str | None, throttle: Throttle) -> None:
    """Count a failed login, and forget failures older than the window (everyone's)."""
    now = utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - throttle.window))
    session.add(LoginFailure(account=account_key(email), ip=(ip or None) and ip[:64], at=now))
    session.flush()


def clear_failures(session: Session, email: str) -> None:
    """A successful login wipes the account's failures."""
    session.execute(delete(LoginFailure).where(LoginFailure.account == account_key(email)))
