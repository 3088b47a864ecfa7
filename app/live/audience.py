"""Who may hear that a synced row changed: everyone, or only some users (private exchanges)."""

from __future__ import annotations

import uuid

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.models import Alert, Attachment, Exchange, RecordEvent


def audience_of(session: Session, obj: object, new: bool) -> set[uuid.UUID] | None:
    """The users who may see this row's change (about to be flushed), or None for everyone."""
    if isinstance(obj, Exchange):
        return _exchange_audience(obj, new)
    if isinstance(obj, Alert) and obj.user_id is not None:  # its user's (it never changes)
        return {obj.user_id}
    exchange_id = None
    if isinstance(obj, Attachment) and obj.entity == "exchange":
        exchange_id = obj.entity_id
    elif isinstance(obj, RecordEvent):  # a timeline event telling of an exchange
        exchange_id = obj.exchange_id
    if exchange_id is not None:
        with session.no_autoflush:
            exchange = session.get(Exchange, exchange_id)
        return None if exchange is None else _exchange_audience(exchange, new=False)
    return None


def _exchange_audience(exchange: Exchange, new: bool) -> set[uuid.UUID] | None:
    state = inspect(exchange)
    if not new and state.attrs.private.history.has_changes():
        return None  # made private or public: everyone's devices must add or drop it
    if not exchange.private:
        return None
    removed = state.attrs.participants.history.deleted or ()
    return {exchange.created_by_id, *exchange.participant_ids, *(u.id for u in removed)}
