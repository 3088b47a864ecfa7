"""The notification inbox: each user's facts, as they may still see them, read or not."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.live.broker import texts_in
from app.models import Exchange, Notification, RecordEvent, User, utcnow
from app.services.errors import NotFound
from app.services.pagination import Page, paginate

Texted = TypeVar("Texted", Notification, RecordEvent)

def _mine(user: User):
    """This user's notifications, minus those about an exchange they may no longer see."""
    from app.services.exchanges import visible_to  # exchanges -> notify -> here

    still_visible = select(Exchange.id).where(Exchange.deleted_at.is_(None), visible_to(user))
    return select(Notification).where(
        Notification.user_id == user.id,
        or_(Notification.exchange_id.is_(None), Notification.exchange_id.in_(still_visible)))


def in_language(row: Texted, lang: str) -> Texted:
    """Give a notification (or timeline event) the title and body of this language, from its
    `texts`, for serialising."""
    texts = texts_in(row.texts, lang)
    row.title = texts.get("title", "")
    row.body = texts.get("body", "")
    return row


def inbox(session: Session, user: User, args: dict, lang: str) -> Page:
    """This user's notifications, newest first (unread only if asked)."""
    stmt = _mine(user)
    if args.get("unread"):
        stmt = stmt.where(Notification.read_at.is_(None))
    page = paginate(session, stmt, [Notification.created_at, Notification.id],
                    limit=args["limit"], cursor=args["cursor"], descending=True)
    return Page([in_language(n, lang) for n in page.items], page.next_cursor)


def unread_count(session: Session, user: User) -> int:
    """How many of this user's notifications are unread."""
    stmt = _mine(user).where(Notification.read_at.is_(None)).subquery()
    return session.scalar(select(func.count()).select_from(stmt))


def mark_read(session: Session, user: User, notification_id: uuid.UUID,
              lang: str) -> Notification:
    """Mark one of this user's notifications read (again: no change)."""
    found = session.scalar(_mine(user).where(Notification.id == notification_id))
    if found is None:
        raise NotFound("No such notification.")
    if found.read_at is None:
        found.read_at = utcnow()
        session.flush()
    return in_language(found, lang)


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of this user read; return how many."""
    unread = _mine(user).where(Notification.read_at.is_(None)).subquery()
    result = session.execute(update(Notification).where(
        Notification.id.in_(select(unread.c.id))
    ).values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


def record(session: Session, user_id: uuid.UUID, kind: str, texts: dict, url: str,
           record: dict | None, exchange_id: str | None, actor_id: uuid.UUID | None
           ) -> Notification:
    """Store a notification for one recipient (in the current transaction)."""
    notification = Notification(
        id=uuid.uuid4(), user_id=user_id, kind=kind, texts=texts, url=url,
        record_type=record["type"] if record else None,
        record_id=uuid.UUID(record["id"]) if record else None,
        exchange_id=uuid.UUID(exchange_id) if exchange_id else None, actor_id=actor_id)
    session.add(notification)
    return notification


