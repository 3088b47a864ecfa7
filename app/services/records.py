"""What every synced record shares: lookup, idempotent create, versioned edit, soft delete."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, Uuid, bindparam, select
from sqlalchemy.orm import Session

from app.models import SyncedMixin, User, utcnow
from app.services.errors import Conflict, Forbidden, Invalid, NotFound

Apply = Callable[[Session, Any, dict, User], None]


def live(model: type) -> Select:
    """Select the records of `model` that are not tombstones."""
    return select(model).where(model.deleted_at.is_(None))


def get_live(session: Session, model: type, record_id: uuid.UUID,
             options: Sequence[Any] = ()) -> Any:
    """Return a live record or raise NotFound; `options` load its relations with it."""
    obj = session.get(model, record_id, options=options)
    if obj is None or obj.deleted_at is not None:
        raise NotFound(f"No such {model.__name__.lower()}.")
    return obj


_LIVE_ID: dict[type, Select] = {}


def check_live(session: Session, model: type, record_id: uuid.UUID) -> None:
    """Raise NotFound unless the record exists and is live (its id read, not the record)."""
    stmt = _LIVE_ID.get(model)
    if stmt is None:
        stmt = _LIVE_ID[model] = select(model.id).where(
            model.id == bindparam("record_id", type_=Uuid()), model.deleted_at.is_(None))
    if session.scalar(stmt, {"record_id": record_id}) is None:
        raise NotFound(f"No such {model.__name__.lower()}.")


def require_live(session: Session, model: type, record_id: uuid.UUID | None, field: str) -> None:
    """Reject a reference to a missing or deleted record as a field error."""
    if record_id is None:
        return
    obj = session.get(model, record_id)
    if obj is None or obj.deleted_at is not None:
        raise Invalid("Unknown reference.", fields={field: ["No such record."]})


def require_user(session: Session, user_id: uuid.UUID | None, field: str) -> None:
    """Reject a reference to a missing or inactive user."""
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise Invalid("Unknown user.", fields={field: ["No such active user."]})


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(_comparable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _comparable(v)) for k, v in value.items()))
    return value


def _link_view(link: Any, key: str) -> dict:
    other = "company_id" if key == "company_links" else "contact_id"
    return {other: getattr(link, other), "role": link.role}


def same_payload(obj: Any, data: dict) -> bool:
    """True when every field of `data` already holds that value in `obj`."""
    for key, wanted in data.items():
        current = getattr(obj, key)
        if key in ("company_links", "contact_links"):
            current = [_link_view(link, key) for link in current]
            wanted = [{**w, "role": w.get("role")} for w in wanted]
        if _comparable(current) != _comparable(wanted):
            return False
    return True


def create(session: Session, model: type, data: dict, user: User, apply: Apply,
           **fixed: Any) -> tuple[Any, bool]:
    """Create a record; a replay with the client's id returns the stored one (created=False)."""
    record_id = data.pop("id", None)
    if record_id is not None:
        existing = session.get(model, record_id)
        if existing is not None:
            if existing.deleted_at is None and same_payload(existing, data):
                return existing, False
            raise Conflict("This id is already used by another record.",
                           current=existing if existing.deleted_at is None else None,
                           code="id_conflict")
    obj = model(id=record_id or uuid.uuid4(), **fixed)
    with session.no_autoflush:
        apply(session, obj, data, user)
    session.add(obj)
    session.flush()
    return obj, True


def update(session: Session, obj: SyncedMixin, data: dict, version: int, user: User,
           apply: Apply) -> Any:
    """Apply a partial edit made against `version`; a stale version is a conflict."""
    if obj.version != version:
        raise Conflict("The record changed since you loaded it.", current=obj,
                       code="version_conflict")
    data.pop("id", None)
    # One flush per edit: a lookup inside apply() must not flush half of it (version +2).
    with session.no_autoflush:
        apply(session, obj, data, user)
    session.flush()
    return obj


def soft_delete(session: Session, obj: SyncedMixin) -> None:
    """Leave a tombstone so devices learn of the deletion."""
    obj.deleted_at = utcnow()
    session.flush()


def set_links(obj: SyncedMixin, attr: str, key: str, wanted: dict, make: Callable) -> None:
    """Make obj's association rows (`attr`) match `wanted` ({other id: role}).

    Kept rows are updated in place; `make(other_id, role)` builds the new ones. The rows have
    no version of their own, so a changed role counts as an edit of `obj`.
    """
    wanted = dict(wanted)
    kept = [link for link in getattr(obj, attr) if getattr(link, key) in wanted]
    for link in kept:
        role = wanted.pop(getattr(link, key))
        if link.role != role:
            link.role = role
            obj.updated_at = utcnow()
    setattr(obj, attr, kept + [make(other_id, role) for other_id, role in wanted.items()])


def set_fields(obj: Any, data: dict, names: tuple[str, ...]) -> None:
    """Copy the plain columns present in `data` onto `obj`."""
    for name in names:
        if name in data:
            setattr(obj, name, data[name])


def check_handover(user: User, obj: Any, data: dict) -> None:
    """Handing a record to someone else is for its owner or a manager; anyone may take up a
    record nobody is in charge of. Otherwise taking a colleague's record would also give the
    right to delete it."""
    if "owner_id" not in data or data["owner_id"] == obj.owner_id:
        return
    if not (user.is_manager or obj.owner_id in (None, user.id)):
        raise Forbidden("Only its owner or a manager may hand this record over.",
                        fields={"owner_id": ["Only its owner or a manager may change it."]})
