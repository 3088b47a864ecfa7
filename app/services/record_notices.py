"""Notices about records changing hands or stages: a deal moved on, a record reassigned.

Each watch is registered before the change and decided just before the outer commit, on the
first value seen against the final one: a sync batch that moves a deal twice tells once, one
that moves it and back tells nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.live.commit import before_commit, first_in_transaction
from app.models import User
from app.services.notify import Notice, record_title, store_and_deliver

STAGE_NAMES = {
    "fr": {"prospecting": "Prospection", "qualification": "Qualification",
           "proposal": "Proposition", "negotiation": "Négociation", "won": "Gagnée",
           "lost": "Perdue"},
    "en": {"prospecting": "Prospecting", "qualification": "Qualification",
           "proposal": "Proposal", "negotiation": "Negotiation", "won": "Won", "lost": "Lost"},
}
OWNER_BODY = {"fr": "{actor} vous a confié cette fiche", "en": "{actor} put you in charge"}
STAGE_BODY = {"fr": "{actor} · {stage}", "en": "{actor} · {stage}"}


def _recipient(session: Session, user_id, actor: User) -> User | None:
    if user_id is None or user_id == actor.id:
        return None  # nobody is told of what they did themselves
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def watch_owner(session: Session, actor: User, record: object, entity: str) -> None:
    """Before an edit: tell the new owner, at commit, if the record changes hands."""
    if first_in_transaction(session, ("owner", record.id)):
        before_commit(session, _owner_changed, session, actor, record, entity, record.owner_id,
                      guard=record)


def _owner_changed(session: Session, actor: User, record: object, entity: str,
                   old_owner_id) -> None:
    owner = _recipient(session, record.owner_id, actor)
    if record.deleted_at is not None or record.owner_id == old_owner_id or owner is None:
        return
    texts = {lang: {"title": record_title(entity, record), "body": body.format(actor=actor.name)}
             for lang, body in OWNER_BODY.items()}
    notice = Notice(owner.id, "owner_changed", texts, {"type": entity, "id": str(record.id)})
    store_and_deliver(session, notice, actor.id, guard=record)


def watch_deal(session: Session, actor: User, deal: object) -> None:
    """Before a deal's edit: tell its owner, at commit, if its stage moved (and who owns it)."""
    watch_owner(session, actor, deal, "deal")
    if first_in_transaction(session, ("stage", deal.id)):
        before_commit(session, _stage_changed, session, actor, deal, deal.stage, guard=deal)


def _stage_changed(session: Session, actor: User, deal: object, old_stage: str) -> None:
    owner = _recipient(session, deal.owner_id, actor)
    if deal.deleted_at is not None or deal.stage == old_stage or owner is None:
        return
    texts = {lang: {"title": deal.name,
                    "body": STAGE_BODY[lang].format(actor=actor.name,
                                                    stage=STAGE_NAMES[lang][deal.stage])}
             for lang in STAGE_BODY}
    notice = Notice(owner.id, "deal_stage_changed", texts, {"type": "deal", "id": str(deal.id)},
                    urgency="high" if deal.stage in ("won", "lost") else "normal")
    store_and_deliver(session, notice, actor.id, guard=deal)
