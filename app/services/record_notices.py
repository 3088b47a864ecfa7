"""Facts about records: one created, a deal moved on (won, lost), a record changing hands.

Each is told to whom it concerns (followers, the new owner, auto-followers of new records) and
written to the record's timeline as an event. Each watch is registered before the change and
decided just before the outer commit, on the first value seen against the final one: a sync
batch that moves a deal twice tells once, one that moves it and back tells nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.live.commit import before_commit, first_in_transaction
from app.models import User
from app.services import events, follows
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
CREATED_BODY = {"fr": "{actor} a créé cette fiche", "en": "{actor} created this record"}
CREATED_FOR_YOU = {"fr": "{actor} a créé cette fiche et vous l'a confiée",
                   "en": "{actor} created this record and put you in charge"}
# Timeline events: (title, body) per kind and language.
EVENT_TEXTS = {
    "record_created": {"fr": ("Fiche créée", "par {actor}"),
                       "en": ("Record created", "by {actor}")},
    "deal_stage_changed": {"fr": ("Étape : {stage}", "{old} → {stage}, par {actor}"),
                           "en": ("Stage: {stage}", "{old} → {stage}, by {actor}")},
    "deal_won": {"fr": ("Affaire gagnée", "{old} → {stage}, par {actor}"),
                 "en": ("Deal won", "{old} → {stage}, by {actor}")},
    "deal_lost": {"fr": ("Affaire perdue", "{old} → {stage}, par {actor}"),
                  "en": ("Deal lost", "{old} → {stage}, by {actor}")},
    "owner_changed": {"fr": ("Interlocuteur principal : {owner}", "par {actor}"),
                      "en": ("Owner: {owner}", "by {actor}")},
}
NOBODY = {"fr": "personne", "en": "nobody"}


def recipient(session: Session, user_id, actor: User) -> User | None:
    """The user to tell, if active and not the one who acted."""
    if user_id is None or user_id == actor.id:
        return None  # nobody is told of what they did themselves
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def _event(session: Session, entity: str, record: object, kind: str, actor: User,
           **values: str | dict) -> None:
    texts = {}
    for lang, (title, body) in EVENT_TEXTS[kind].items():
        local = {k: v[lang] if isinstance(v, dict) else v for k, v in values.items()}
        texts[lang] = {"title": title.format(actor=actor.name, **local),
                       "body": body.format(actor=actor.name, **local)}
    events.add_event(session, entity, record.id, kind, texts, actor.id)


def _tell(session: Session, user: User, kind: str, actor: User, entity: str, record: object,
          bodies: dict, **notice: object) -> None:
    texts = {lang: {"title": record_title(entity, record),
                    "body": body.format(actor=actor.name)} for lang, body in bodies.items()}
    store_and_deliver(session, Notice(user.id, kind, texts,
                                      {"type": entity, "id": str(record.id)}, **notice),
                      actor.id, guard=record)


# -- created ------------------------------------------------------------------------------------

def record_created(session: Session, actor: User, record: object, entity: str) -> None:
    """A new record: its owner, creator and auto-followers follow it now; at commit, its
    timeline says so, and the auto-followers and its owner (if not its creator) are told."""
    follows.record_created(session, actor, entity, record)
    before_commit(session, _created, session, actor, record, entity, guard=record)


def _created(session: Session, actor: User, record: object, entity: str) -> None:
    if record.deleted_at is not None:
        return
    _event(session, entity, record, "record_created", actor)
    told = set(follows.auto_followers(session, entity)) | {record.owner_id}
    for user_id in sorted(u for u in told if u is not None):
        user = recipient(session, user_id, actor)
        if user is not None:
            bodies = CREATED_FOR_YOU if user_id == record.owner_id else CREATED_BODY
            _tell(session, user, "record_created", actor, entity, record, bodies)


# -- owner --------------------------------------------------------------------------------------

def watch_owner(session: Session, actor: User, record: object, entity: str) -> None:
    """Before an edit: if the record changes hands, at commit its new owner follows it and is
    told, and its timeline says so."""
    if first_in_transaction(session, ("owner", record.id)):
        before_commit(session, _owner_changed, session, actor, record, entity, record.owner_id,
                      guard=record)


def _owner_changed(session: Session, actor: User, record: object, entity: str,
                   old_owner_id: uuid.UUID | None) -> None:
    if record.deleted_at is not None or record.owner_id == old_owner_id:
        return
    follows.follow_automatically(session, [record.owner_id], entity, record.id, "owner")
    new_owner = session.get(User, record.owner_id) if record.owner_id else None
    _event(session, entity, record, "owner_changed", actor,
           owner=new_owner.name if new_owner else NOBODY)
    owner = recipient(session, record.owner_id, actor)
    if owner is not None:
        _tell(session, owner, "owner_changed", actor, entity, record, OWNER_BODY)


# -- deal stages --------------------------------------------------------------------------------

def watch_deal(session: Session, actor: User, deal: object) -> None:
    """Before a deal's edit: tell its followers, at commit, if its stage moved (and who owns
    it)."""
    watch_owner(session, actor, deal, "deal")
    if first_in_transaction(session, ("stage", deal.id)):
        before_commit(session, _stage_changed, session, actor, deal, deal.stage, guard=deal)


def stage_kind(stage: str) -> str:
    """A move to won or lost is told as such; any other move as a stage change."""
    return {"won": "deal_won", "lost": "deal_lost"}.get(stage, "deal_stage_changed")


def _stage_changed(session: Session, actor: User, deal: object, old_stage: str) -> None:
    if deal.deleted_at is not None or deal.stage == old_stage:
        return
    kind = stage_kind(deal.stage)
    names = {lang: (STAGE_NAMES[lang][old_stage], STAGE_NAMES[lang][deal.stage])
             for lang in STAGE_NAMES}
    _event(session, "deal", deal, kind, actor, old={k: v[0] for k, v in names.items()},
           stage={k: v[1] for k, v in names.items()})
    bodies = {lang: STAGE_BODY[lang].replace("{stage}", names[lang][1]) for lang in STAGE_BODY}
    urgency = "high" if kind != "deal_stage_changed" else "normal"
    for user_id in sorted(follows.followers(session, "deal", deal, kind)):
        user = recipient(session, user_id, actor)
        if user is not None:
            _tell(session, user, kind, actor, "deal", deal, bodies, urgency=urgency)
