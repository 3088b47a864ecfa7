"""Sync bookkeeping: the change counter and each device's last applied mutation."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class ChangeCounter(db.Model):
    """A single row; incremented inside each write transaction (see docs/sync.md)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    # Which life of the database the values belong to: a restore starts a new one, so a
    # device's cursor from before it is refused rather than trusted (docs/sync.md).
    epoch: Mapped[str] = mapped_column(String(16), nullable=False,
                                       default=lambda: new_epoch())


def new_epoch() -> str:
    """Eight random hex digits."""
    return secrets.token_hex(4)


class SyncClient(db.Model):
    """One installation of the app for one user: the last outbox `seq` the server finished."""

    __tablename__ = "sync_clients"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
