"""Deals ("affaires")."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import SyncedMixin
from app.models.company import Company, Contact
from app.models.user import User

# Default probability (percent) of each stage, in pipeline order.
STAGE_PROBABILITY = {
    "prospecting": 10,
    "qualification": 20,
    "proposal": 50,
    "negotiation": 80,
    "won": 100,
    "lost": 0,
}
STAGES = tuple(STAGE_PROBABILITY)


class Deal(SyncedMixin, db.Model):
    __tablename__ = "deals"

    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    company_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("companies.id"), nullable=False, index=True
    )
    stage: Mapped[str] = mapped_column(String(16), nullable=False, default="prospecting")
    probability: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    recurring_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    recurring_months: Mapped[int | None] = mapped_column(Integer)
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("agencies.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    company: Mapped[Company] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    contact_links: Mapped[list[DealContact]] = relationship(
        back_populates="deal", cascade="all, delete-orphan"
    )


class DealContact(db.Model):
    __tablename__ = "deal_contacts"

    deal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("deals.id"), primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contacts.id"), primary_key=True, index=True
    )
    role: Mapped[str | None] = mapped_column(String(120))

    deal: Mapped[Deal] = relationship(back_populates="contact_links")
    contact: Mapped[Contact] = relationship()
