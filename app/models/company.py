"""Companies (clients, prospects, suspects) and their contacts."""

from __future__ import annotations

import uuid

from sqlalchemy import Float, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import SyncedMixin
from app.models.user import User

COMPANY_STATUSES = ("prospect", "client", "suspect")


class Company(SyncedMixin, db.Model):
    __tablename__ = "companies"

    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="prospect")
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    street: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2), default="FR")
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("agencies.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    contact_links: Mapped[list[CompanyContact]] = relationship(
        back_populates="company", cascade="all, delete-orphan"
    )


class CompanyContact(db.Model):
    """A contact's place in a company, with a free role ("Acheteur", "Gérant")."""

    __tablename__ = "company_contacts"

    company_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("companies.id"), primary_key=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contacts.id"), primary_key=True, index=True
    )
    role: Mapped[str | None] = mapped_column(String(120))

    company: Mapped[Company] = relationship(back_populates="contact_links")
    contact: Mapped[Contact] = relationship(back_populates="company_links")


class Contact(SyncedMixin, db.Model):
    __tablename__ = "contacts"

    first_name: Mapped[str | None] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    job_title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    company_links: Mapped[list[CompanyContact]] = relationship(
        back_populates="contact", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


def full_name(first_name: str | None, last_name: str | None) -> str:
    """A contact's name as shown: first and last, either of which may be missing."""
    return " ".join(p for p in (first_name, last_name) if p)
