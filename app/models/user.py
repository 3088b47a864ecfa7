"""Users and agencies."""

from __future__ import annotations

import uuid

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import SyncedMixin

ROLES = ("admin", "manager", "sales")


class Agency(SyncedMixin, db.Model):
    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    city: Mapped[str | None] = mapped_column(String(120))


class User(UserMixin, SyncedMixin, db.Model):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False, default="!")
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="sales")
    agency_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("agencies.id"))
    locale: Mapped[str] = mapped_column(String(8), nullable=False, default="fr")
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="Europe/Paris")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    agency: Mapped[Agency | None] = relationship()

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return self.password_hash != "!" and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.active and self.deleted_at is None

    @property
    def is_manager(self) -> bool:
        return self.role in ("admin", "manager")


# E-mails are unique whatever their case.
db.Index("uq_users_email_lower", func.lower(User.email), unique=True)
