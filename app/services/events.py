"""Timeline events: what happened to a record that nobody logged ("stage moved to Proposal").

One row per record and fact (not per reader), synced read-only; an event telling of an
exchange is seen only by those who may see that exchange.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Company, Contact, Deal, Exchange, RecordEvent, User, utcnow
from app.services import records
from app.services.notifications import in_language
from app.services.pagination import Page, paginate

MODELS = {"company": Company, "contact": Contact, "deal": Deal}


def add_event(session: Session, record_type: str, record_id: uuid.UUID, kind: str,
              texts: dict, actor_id: uuid.UUID | None, exchange_id: uuid.UUID | None = None,
              at: datetime | None = None) -> RecordEvent:
    """Add an event to a record's timeline (texts: {"fr": {title, body}, "en": {...}})."""
    event = RecordEvent(id=uuid.uuid4(), record_type=record_type, record_id=record_id,
                        kind=kind, texts=texts, actor_id=actor_id, exchange_id=exchange_id,
                        at=at or utcnow())
    session.add(event)
    return event


def _exchange_visible(user: User):
    from app.services.exchanges import visible_to  # exchanges -> notices -> here

    return or_(RecordEvent.exchange_id.is_(None), RecordEvent.exchange_id.in_(
        select(Exchange.id).where(Exchange.deleted_at.is_(None), visible_to(user))))


def record_events(session: Session, user: User, record_type: str, record_id: uuid.UUID, *,
                  limit: int, cursor: str | None, lang: str) -> Page:
    """A live record's events as this user may see them, newest first."""
    records.get_live(session, MODELS[record_type], record_id)
    stmt = select(RecordEvent).where(
        RecordEvent.record_type == record_type, RecordEvent.record_id == record_id,
        RecordEvent.deleted_at.is_(None), _exchange_visible(user))
    page = paginate(session, stmt, [RecordEvent.at, RecordEvent.id], limit=limit,
                    cursor=cursor, descending=True)
    return Page([in_language(e, lang) for e in page.items], page.next_cursor)


def visible(session: Session, user: User, event: RecordEvent) -> bool:
    """Whether this user may see the event now: its record is live and, when it tells of an
    exchange, that exchange is live and theirs to see."""
    from app.services.exchanges import can_see

    model = MODELS.get(event.record_type)
    record = session.get(model, event.record_id) if model else None
    if record is None or record.deleted_at is not None or event.deleted_at is not None:
        return False
    if event.exchange_id is None:
        return True
    exchange = session.get(Exchange, event.exchange_id)
    return exchange is not None and exchange.deleted_at is None and can_see(user, exchange)
