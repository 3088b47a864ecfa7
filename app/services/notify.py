"""Notifications of facts, delivered live and by push once the fact is committed.

The first one: an exchange logged on a company, contact or deal that someone else owns tells
that owner, unless the exchange is private and the owner does not take part in it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.commit import before_commit, on_commit
from app.models import Company, Contact, Exchange, ExchangeKind, User, utcnow
from app.services import notifications
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

    @property
    def url(self) -> str:
        if self.link:
            return self.link
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
                "ttl": self.ttl, "urgency": self.urgency}


def _owned_records(session: Session, exchange: Exchange) -> dict[uuid.UUID, tuple[str, object]]:
    """Each owner of a record the exchange is about -> the most specific record they own."""
    owned: dict[uuid.UUID, tuple[str, object]] = {}
    candidates = [("company", session.get(Company, exchange.company_id)
                   if exchange.company_id else None),
                  ("contact", session.get(Contact, exchange.contact_id)
                   if exchange.contact_id else None),
                  *(("deal", deal) for deal in exchange.deals)]
    for entity, record in candidates:  # later (more specific) records win
        if record is not None and record.owner_id is not None and record.deleted_at is None:
            owned[record.owner_id] = (entity, record)
    return owned


def record_title(entity: str, record: object) -> str:
    """What a company, contact or deal is called."""
    return record.full_name if entity == "contact" else record.name


BODY = {"fr": "{author} · {kind} : {about}", "en": "{author} · {kind}: {about}"}


def _texts(session: Session, author: User, exchange: Exchange, title: str) -> dict:
    kind = session.scalar(select(ExchangeKind).where(ExchangeKind.key == exchange.kind))
    about = (exchange.subject or (exchange.details or "")[:120]).strip()
    texts = {}
    for lang, body in BODY.items():
        name = getattr(kind, f"name_{lang}") if kind else exchange.kind
        if not about:
            body = "{author} · {kind}"
        texts[lang] = {"title": title, "body": body.format(author=author.name, kind=name,
                                                            about=about)}
    return texts


def exchange_logged(session: Session, author: User, exchange: Exchange) -> None:
    """Tell the owners of what this new exchange is about, as it stands at commit."""
    # Decided on the transaction's final state: a sync batch may create an exchange and make
    # it private (or delete it) a few mutations later.
    before_commit(session, _notify_owners, session, author, exchange, guard=exchange)


def may_hear_of(user: User, exchange: Exchange) -> bool:
    """Whether a user may be told of this exchange now (active, and allowed to see it)."""
    from app.services.exchanges import can_see

    return user.active and exchange.deleted_at is None and can_see(user, exchange)


def _notify_owners(session: Session, author: User, exchange: Exchange) -> None:
    for owner_id, (entity, record) in _owned_records(session, exchange).items():
        owner = session.get(User, owner_id)
        if owner_id == author.id or owner is None or not may_hear_of(owner, exchange):
            continue  # a private exchange stays between its author and participants
        notice = Notice(owner_id, "exchange_logged",
                        _texts(session, author, exchange, record_title(entity, record)),
                        {"type": entity, "id": str(record.id)}, exchange_id=str(exchange.id))
        store_and_deliver(session, notice, author.id, guard=exchange)


def store_and_deliver(session: Session, notice: Notice, actor_id: uuid.UUID,
                      guard: object) -> None:
    """Put the notice in its recipient's inbox now; publish and push it after commit."""
    kept = notifications.record(session, notice.user_id, notice.kind, notice.texts, notice.url,
                                notice.record, notice.exchange_id, actor_id)
    notice.id = str(kept.id)
    on_commit(session, deliver, notice, guard=guard)


def deliver(notice: Notice) -> None:
    """Publish the notice to the user's open sockets and queue the push to their devices."""
    from app.jobs import push_to_user

    message = notice.message()
    current_app.extensions["live"].publish(
        {k: v for k, v in message.items() if k not in PUSH_ONLY},
        users=[notice.user_id])
    push_to_user.enqueue(str(notice.user_id), message)
