"""Exchange kinds and outcomes, configured by admins."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User
from app.services import records
from app.services.errors import Forbidden, Invalid

FIELDS = ("key", "name_fr", "name_en", "abbreviation", "font_color", "background_color",
          "position", "active")


def _apply(session: Session, entry, data: dict, user: User) -> None:
    if "key" in data and data["key"] != entry.key:
        if entry.key is not None:
            raise Invalid("A key cannot change.", fields={"key": ["Keys are permanent."]})
        taken = session.scalar(select(type(entry)).where(type(entry).key == data["key"]))
        if taken is not None:
            raise Invalid("Key already used.", fields={"key": ["Already used."]})
    records.set_fields(entry, data, FIELDS)


def _admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden("Only an administrator may configure this list.")


def list_entries(session: Session, model: type) -> list:
    """All live entries, active or not, by position."""
    return list(session.scalars(records.live(model).order_by(model.position, model.key)))


def create_entry(session: Session, user: User, model: type, data: dict) -> tuple[object, bool]:
    """Add an entry (admins only)."""
    _admin(user)
    return records.create(session, model, data, user, _apply)


def update_entry(session: Session, user: User, model: type, entry_id: uuid.UUID, data: dict,
                 version: int):
    """Rename, recolour, reorder or deactivate an entry (admins only)."""
    _admin(user)
    entry = records.get_live(session, model, entry_id)
    return records.update(session, entry, data, version, user, _apply)
