"""Notices about exchanges: logged on a record you follow, shared with you, naming you.

Decided just before the outer commit, on the transaction's final state: a sync batch may create
an exchange and make it private (or delete it) a few mutations later. Each user hears once of
one exchange, by the most personal kind: `mentioned`, then `exchange_shared` (a participant),
then `exchange_logged` (a follower of its company, contact or deal, about the most specific
record they follow). A private exchange is told only to its author and participants.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.commit import before_commit, first_in_transaction
from app.models import Company, Contact, Exchange, ExchangeKind, User
from app.services import follows, mentions
from app.services.notify import Notice, may_hear_of, record_title, store_and_deliver

LOGGED = {"fr": "{author} · {kind} : {about}", "en": "{author} · {kind}: {about}"}
SHARED = {"fr": "{author} a noté un échange avec vous ({kind})",
          "en": "{author} logged {a_kind} with you"}
PLANNED = {"fr": "{author} a planifié un échange avec vous ({kind})",
           "en": "{author} planned {a_kind} with you"}
MENTIONED = {"fr": "{author} vous a mentionné·e ({kind})", "en": "{author} mentioned you ({kind})"}


def exchange_logged(session: Session, author: User, exchange: Exchange) -> None:
    """A new exchange: decide at commit who hears of it."""
    first_in_transaction(session, ("exchange", exchange.id))  # a later edit in the batch: one
    before_commit(session, _decide, session, author, exchange, None, guard=exchange)


def watch_exchange(session: Session, actor: User, exchange: Exchange) -> None:
    """Before an edit: tell, at commit, the participants it adds and the colleagues it newly
    names."""
    if first_in_transaction(session, ("exchange", exchange.id)):
        before = (set(exchange.participant_ids),
                  mentions.mentioned(session, exchange.subject, exchange.details))
        before_commit(session, _decide, session, actor, exchange, before, guard=exchange)


def _records(session: Session, exchange: Exchange) -> list[tuple[str, object]]:
    """What the exchange is about, least specific first (company, contact, deals)."""
    found = [("company", session.get(Company, exchange.company_id)
              if exchange.company_id else None),
             ("contact", session.get(Contact, exchange.contact_id)
              if exchange.contact_id else None),
             *(("deal", deal) for deal in exchange.deals)]
    return [(entity, record) for entity, record in found
            if record is not None and record.deleted_at is None]


def _decide(session: Session, actor: User, exchange: Exchange,
            before: tuple[set, set] | None) -> None:
    if exchange.deleted_at is not None:
        return
    about = _records(session, exchange)
    entry = session.scalar(select(ExchangeKind).where(ExchangeKind.key == exchange.kind))
    side = [exchange.created_by_id, *exchange.participant_ids]
    for entity, record in about:  # its author and participants follow what it is about
        follows.follow_automatically(session, side, entity, record.id, "participant")
    old_participants, old_mentions = before or (set(), set())
    quiet = {actor.id, exchange.created_by_id}  # nobody is told of what they did themselves
    told: set[uuid.UUID] = set()
    for user_id in sorted(mentions.mentioned(session, exchange.subject, exchange.details)
                          - old_mentions - quiet):
        told |= _tell(session, actor, exchange, user_id, "mentioned", about, entry)
    for user_id in exchange.participant_ids:
        if user_id not in old_participants | quiet | told:
            told |= _tell(session, actor, exchange, user_id, "exchange_shared", about, entry)
    if before is None:
        for user_id, record in _followed(session, about).items():
            if user_id not in quiet | told:
                _tell(session, actor, exchange, user_id, "exchange_logged", [record],
                      entry)


def _followed(session: Session, about: list) -> dict[uuid.UUID, tuple[str, object]]:
    """Each follower of what the exchange is about -> the most specific record they follow."""
    out: dict[uuid.UUID, tuple[str, object]] = {}
    for entity, record in about:  # later (more specific) records win
        for user_id in follows.followers(session, entity, record, "exchange_logged"):
            out[user_id] = (entity, record)
    return out


def _tell(session: Session, actor: User, exchange: Exchange, user_id: uuid.UUID, kind: str,
          about: list, entry: ExchangeKind | None) -> set[uuid.UUID]:
    """Tell one user, if they may hear of this exchange; the set of who was told."""
    user = session.get(User, user_id)
    if user is None or not may_hear_of(user, exchange):
        return set()  # a private exchange stays between its author and participants
    if about:
        entity, record = about[-1]
        target, title, link = {"type": entity, "id": str(record.id)}, record_title(
            entity, record), None
    else:  # an internal meeting: about no client at all
        target, title, link = {"type": "exchange", "id": str(exchange.id)}, None, "/#/"
    author = exchange.created_by if kind != "exchange_logged" else actor
    notice = Notice(user.id, kind, _texts(kind, entry, author, exchange, title),
                    target, exchange_id=str(exchange.id), link=link)
    store_and_deliver(session, notice, actor.id, guard=exchange)
    return {user.id}


def _texts(kind: str, entry: ExchangeKind | None, author: User, exchange: Exchange,
           title: str | None) -> dict:
    about = (exchange.subject or (exchange.details or "")[:120]).strip()
    texts = {}
    for lang in ("fr", "en"):
        name = getattr(entry, f"name_{lang}") if entry else exchange.kind
        if kind == "exchange_logged":
            body = LOGGED[lang] if about else "{author} · {kind}"
        else:
            body = {"mentioned": MENTIONED, "exchange_shared": (
                PLANNED if exchange.state == "planned" else SHARED)}[kind][lang]
            if about:
                body += " : {about}" if lang == "fr" else ": {about}"
        article = "an" if name[:1].lower() in "aeiou" else "a"
        texts[lang] = {"title": title or about or name,
                       "body": body.format(author=author.name, kind=name, about=about,
                                           a_kind=f"{article} {name.lower()}")}
    return texts
