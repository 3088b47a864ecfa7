"""Server-side login sessions and failed logins (for throttling)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Uuid, event, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class UserSession(db.Model):
    """One login. The cookie holds a random token; only its SHA-256 is stored here, and a
    cookie whose record is missing, revoked or too old logs nobody in."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(token), hex
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """A failed login, kept for the throttling window; the account is a hash of the e-mail
    typed (known or not), so the table names nobody."""

    __tablename__ = "login_failures"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account: Mapped[str] = mapped_column(String(64), nullable=False)
    ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)

    __table_args__ = (Index("ix_login_failures_account_at", "account", "at"),
                      Index("ix_login_failures_ip_at", "ip", "at"))


def _loses_sessions(user: User) -> bool:
    state = inspect(user)
    if not state.persistent:
        return False
    active, deleted, password = (state.attrs.active.history, state.attrs.deleted_at.history,
                                 state.attrs.password_hash.history)
    return ((active.has_changes() and user.active is False)
            or (deleted.has_changes() and user.deleted_at is not None)
            or password.has_changes())


@event.listens_for(Session, "before_flush")
def _revoke_on_account_change(session: Session, _ctx, _instances) -> None:
    """Deactivating or deleting an account, or changing its password, ends its sessions."""
    ids = [obj.id for obj in session.dirty if isinstance(obj, User) and _loses_sessions(obj)]
    if ids:
        session.connection().execute(
            update(UserSession)
            .where(UserSession.user_id.in_(ids), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
