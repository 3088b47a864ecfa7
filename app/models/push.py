"""Web push: each device's subscription, and what each user wants to be pushed."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import JSON, ForeignKey, Integer, String, Time, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class PushSubscription(db.Model):
    """One browser's push endpoint for one user; a user has one per device."""

    __tablename__ = "push_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False,
                                               index=True)
    # The push service's URL is the subscription's identity: one endpoint, one device.
    endpoint: Mapped[str] = mapped_column(String(1024), nullable=False, unique=True)
    p256dh: Mapped[str] = mapped_column(String(128), nullable=False)
    auth: Mapped[str] = mapped_column(String(64), nullable=False)
    label: Mapped[str | None] = mapped_column(String(120))
    lang: Mapped[str] = mapped_column(String(8), nullable=False, default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    def info(self) -> dict:
        """What pywebpush needs: the browser's PushSubscription.toJSON()."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class NotificationPreference(db.Model):
    """Push preferences of one user: kinds switched off, quiet hours in their time zone."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), primary_key=True)
    kinds: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="Europe/Paris")
    # The other channels' switches per kind: {"email": {kind: bool}, "inapp": {kind: bool}}.
    channels: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # Record types whose every new record this user follows ("company", "contact", "deal").
    auto_follow: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # Minutes before an appointment to push a reminder; None: no reminders.
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=15)
