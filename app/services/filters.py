"""Query filters shared by the list endpoints."""

from __future__ import annotations

import uuid

from sqlalchemy import Select

from app.models import User
from app.services.errors import Invalid


def owner_filter(stmt: Select, model: type, owner: str | None, user: User) -> Select:
    """Narrow to records owned by `owner` ('me' or a user id)."""
    if owner is None:
        return stmt
    try:
        owner_id = user.id if owner == "me" else uuid.UUID(owner)
    except ValueError as exc:
        raise Invalid("Bad owner.", fields={"owner": ["Use 'me' or a user id."]}) from exc
    return stmt.where(model.owner_id == owner_id)


def contains(column, q: str | None):
    """Case-insensitive substring condition, with LIKE wildcards escaped."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
