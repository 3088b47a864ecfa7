"""Files attached to an exchange, a company or a deal."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import SyncedMixin
from app.models.user import User

ATTACHMENT_OWNERS = ("exchange", "company", "deal")


class Attachment(SyncedMixin, db.Model):
    __tablename__ = "attachments"
    __table_args__ = (db.Index("ix_attachments_owner", "entity", "entity_id"),)

    entity: Mapped[str] = mapped_column(String(16), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)

    created_by: Mapped[User] = relationship()

    @property
    def storage_key(self) -> str:
        """Where the bytes live under the attachments folder: content-addressed."""
        return f"{self.sha256[:2]}/{self.sha256}"
