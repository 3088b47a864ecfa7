"""Work items: tasks handed to colleagues, follows of records, alerts raised by rules."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import SyncedMixin, UTCDateTime, utcnow

TASK_PRIORITIES = ("low", "normal", "high")
TASK_STATES = ("open", "done", "cancelled")
FOLLOWABLE = ("company", "contact", "deal")
FOLLOW_REASONS = ("manual", "owner", "created", "participant", "auto")
ALERT_STATES = ("open", "acknowledged", "snoozed", "dismissed", "resolved")


class Task(SyncedMixin, db.Model):
    """An instruction given to a colleague ("transmettre une consigne"), with a due date."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_assignee_state_due", "assignee_id", "state", "due_at"),)

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    details: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    created_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default="normal")
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="open")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    company_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("companies.id"),
                                                         index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id"),
                                                         index=True)
    deal_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("deals.id"), index=True)
    exchange_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("exchanges.id"))

    # Read to hide a linked private exchange from those who may not see it (no column).
    exchange = relationship("Exchange")


class Follow(db.Model):
    """One user's subscription to a record's events; `following` false is a kept unfollow.

    An unfollow is kept (not deleted) so that automatic follows do not bring it back.
    `kinds` None means every kind of event.
    """

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "record_type", "record_id"),
                      Index("ix_follows_record", "record_type", "record_id"))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    record_type: Mapped[str] = mapped_column(String(16), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    following: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    kinds: Mapped[list | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(12), nullable=False, default="manual")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Alert(SyncedMixin, db.Model):
    """A situation found by a rule on a record, for the user who should handle it.

    At most one alert per rule and record is not resolved (partial unique index).
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index("uq_alerts_live", "rule", "record_type", "record_id", unique=True,
              sqlite_where=text("state != 'resolved'"),
              postgresql_where=text("state != 'resolved'")),
        Index("ix_alerts_user_state", "user_id", "state"),
    )

    rule: Mapped[str] = mapped_column(String(40), nullable=False)
    record_type: Mapped[str] = mapped_column(String(16), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the rule saw (days without exchange, due date...), for the texts.
    facts: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


class AlertRule(db.Model):
    """An admin's settings for one built-in rule: on or off, and its thresholds."""

    __tablename__ = "alert_rules"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class CalendarFeed(db.Model):
    """A user's secret iCalendar URL; revoking it replaces the token."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ReminderSent(db.Model):
    """An appointment reminder pushed to a user, for one start time (moved: reminded again)."""

    __tablename__ = "reminders_sent"

    exchange_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("exchanges.id"),
                                                   primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class RecordEvent(SyncedMixin, db.Model):
    """A system entry in a record's timeline ("stage moved to Proposal"), once per record.

    Distinct from exchanges (nobody logged it) and from notifications (one per recipient).
    An event about an exchange is seen only by those who may see that exchange.
    """

    __tablename__ = "record_events"
    __table_args__ = (Index("ix_record_events_record", "record_type", "record_id", "at"),)

    record_type: Mapped[str] = mapped_column(String(16), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    texts: Mapped[dict] = mapped_column(JSON, nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    exchange_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("exchanges.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
