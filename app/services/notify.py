"""Notices: one fact for one user, delivered on the channels that user keeps on.

Each notice goes to the inbox (and the user's open sockets), to their devices by push, and by
e-mail, each as the recipient's switches for its kind say (app/services/push.py). Who is told
of what is decided elsewhere (record_notices, exchange_notices, task_notices, alerts...).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from app.live.commit import on_commit
from app.models import Exchange, User, utcnow
from app.services import notifications, push
from app.services.push import PUSH_ONLY

# Where a record opens in the app (hash routes), and how specific it is (a deal first).
ROUTES = {"deal": "deals", "contact": "contacts", "company": "companies"}


@dataclass
class Notice:
    """One notification for one user, in both languages."""

    user_id: uuid.UUID
    kind: str
    texts: dict[str, dict[str, str]]
    record: dict[str, str]
    exchange_id: str | None = None  # what it tells of: checked again before each push
    id: str | None = None  # the inbox entry, once stored
    ttl: int = 12 * 3600
    urgency: str = "normal"
    # Push notification buttons: [{"action": "snooze", "title": {"fr": ..., "en": ...}}].
    actions: list[dict] | None = None
    at: str = field(default_factory=lambda: utcnow().isoformat().replace("+00:00", "Z"))
    # Where a tap leads when not the record's own page (a task opens its deal, or the list).
    link: str | None = None
    # When it stops being worth pushing at all (a reminder once the appointment has begun).
    expires_at: datetime | None = None

    @property
    def url(self) -> str:
        if self.link:
            return self.link
        if self.record["type"] not in ROUTES:
            return "/#/"  # a task, an exchange...: no page of their own yet
        return f"/#/{ROUTES[self.record['type']]}/{self.record['id']}"

    def message(self) -> dict:
        """The live message and the push payload (texts resolved per socket or device)."""
        return {"type": "notification", "id": self.id, "kind": self.kind, "texts": self.texts,
                "url": self.url, "record": self.record, "at": self.at,
                "exchange_id": self.exchange_id,
                "tag": f"{self.record['type']}:{self.record['id']}",
                # One Topic per record: a newer push replaces an undelivered older one.
                "topic": uuid.UUID(self.record["id"]).hex,
                "actions": self.actions or [],
                "expires_at": self.expires_at.isoformat() if self.expires_at else None,
                "ttl": self.ttl, "urgency": self.urgency}


def record_title(entity: str, record: object) -> str:
    """What a company, contact or deal is called."""
    return record.full_name if entity == "contact" else record.name


def may_hear_of(user: User, exchange: Exchange) -> bool:
    """Whether a user may be told of this exchange now (active, and allowed to see it)."""
    from app.services.exchanges import can_see

    return user.is_active and exchange.deleted_at is None and can_see(user, exchange)


def store_and_deliver(session: Session, notice: Notice, actor_id: uuid.UUID | None,
                      guard: object) -> None:
    """Deliver the notice on the recipient's channels for its kind: the inbox now (published
    live after commit), and after commit a push job and a mail job."""
    user = session.get(User, notice.user_id)
    if user is None:
        return
    prefs = push.preferences(session, user)
    inapp = push.wants(prefs, "inapp", notice.kind)
    if inapp:
        kept = notifications.record(session, notice.user_id, notice.kind, notice.texts,
                                    notice.url, notice.record, notice.exchange_id, actor_id)
        notice.id = str(kept.id)
    # The push job reads the push switch itself (and quiet hours) when it runs.
    on_commit(session, deliver, notice, inapp, push.wants(prefs, "email", notice.kind),
              guard=guard)


def deliver(notice: Notice, live: bool = True, email: bool = False) -> None:
    """Publish the notice to the user's open sockets, queue the push to their devices and,
    when asked, the e-mail."""
    from app.jobs import push_to_user, send_mail

    message = notice.message()
    if live:
        current_app.extensions["live"].publish(
            {k: v for k, v in message.items() if k not in PUSH_ONLY},
            users=[notice.user_id])
    push_to_user.enqueue(str(notice.user_id), message)
    if email:
        send_mail.enqueue(str(notice.user_id), message)
