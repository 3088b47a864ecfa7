"""Exchanges (calls, visits, ...) and their configurable kinds and outcomes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import SyncedMixin, UTCDateTime
from app.models.company import Company, Contact
from app.models.deal import Deal
from app.models.user import User

EXCHANGE_STATES = ("planned", "done", "cancelled")


class PicklistMixin(SyncedMixin):
    """Admin-configurable entry: key, names, abbreviation, colours, position."""

    key: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    name_fr: Mapped[str] = mapped_column(String(80), nullable=False)
    name_en: Mapped[str] = mapped_column(String(80), nullable=False)
    abbreviation: Mapped[str] = mapped_column(String(8), nullable=False)
    font_color: Mapped[str] = mapped_column(String(7), nullable=False, default="#1f2937")
    background_color: Mapped[str] = mapped_column(String(7), nullable=False, default="#e5e7eb")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ExchangeKind(PicklistMixin, db.Model):
    __tablename__ = "exchange_kinds"


class Outcome(PicklistMixin, db.Model):
    __tablename__ = "outcomes"


exchange_deals = Table(
    "exchange_deals",
    db.metadata,
    Column("exchange_id", Uuid, ForeignKey("exchanges.id"), primary_key=True),
    Column("deal_id", Uuid, ForeignKey("deals.id"), primary_key=True, index=True),
)

exchange_participants = Table(
    "exchange_participants",
    db.metadata,
    Column("exchange_id", Uuid, ForeignKey("exchanges.id"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), primary_key=True, index=True),
)


class Exchange(SyncedMixin, db.Model):
    __tablename__ = "exchanges"
    __table_args__ = (
        db.Index("ix_exchanges_company_starts", "company_id", "starts_at"),
        db.Index("ix_exchanges_contact_starts", "contact_id", "starts_at"),
        db.Index("ix_exchanges_creator_starts", "created_by_id", "starts_at"),
        db.Index("ix_exchanges_starts", "starts_at"),
    )

    kind: Mapped[str] = mapped_column(String(40), ForeignKey("exchange_kinds.key"), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="done")
    outcome: Mapped[str | None] = mapped_column(String(40), ForeignKey("outcomes.key"))
    subject: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    company_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("companies.id"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id"))
    private: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lng: Mapped[float | None] = mapped_column(Float)
    location_accuracy: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)

    company: Mapped[Company | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    deals: Mapped[list[Deal]] = relationship(secondary=exchange_deals)
    participants: Mapped[list[User]] = relationship(secondary=exchange_participants)

    @property
    def deal_ids(self) -> list[uuid.UUID]:
        return [deal.id for deal in self.deals]

    @property
    def participant_ids(self) -> list[uuid.UUID]:
        return [user.id for user in self.participants]

    @property
    def location(self) -> dict | None:
        return location(self.location_lat, self.location_lng, self.location_accuracy)

    # The names shown with the exchange (app/services/exchange_views.py reads the same ones
    # from its row, so the one schema dumps both).
    @property
    def company_name(self) -> str | None:
        return self.company.name if self.company else None

    @property
    def contact_name(self) -> str | None:
        return self.contact.full_name if self.contact else None

    @property
    def created_by_name(self) -> str:
        return self.created_by.name


def location(lat: float | None, lng: float | None, accuracy: float | None) -> dict | None:
    """Where an exchange took place, as its JSON shows it (None without both coordinates)."""
    if lat is None or lng is None:
        return None
    return {"lat": lat, "lng": lng, "accuracy": accuracy}
