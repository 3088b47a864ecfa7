"""Follows: who hears of a company, contact or deal, for which kinds of facts.

A record's owner follows it without a row (records imported or made before follows existed
have none); a row, once there, wins: `following` false is a kept unfollow that no automatic
follow undoes, and `kinds` narrows what a follower hears (None: every kind).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import Company, Contact, Deal, Follow, NotificationPreference, User, utcnow
from app.services import records
from app.services.errors import NotFound
from app.services.notify import record_title
from app.services.pagination import Page, paginate

MODELS = {"company": Company, "contact": Contact, "deal": Deal}


@dataclass
class FollowState:
    """A user's follow of one record as the API shows it (a row, or what stands for none)."""

    record_type: str
    record_id: uuid.UUID
    following: bool
    kinds: list[str] | None
    reason: str | None
    title: str | None = None
    created_at: object = None


def _live_record(session: Session, record_type: str, record_id: uuid.UUID) -> object:
    if record_type not in MODELS:
        raise NotFound("No such record.")
    return records.get_live(session, MODELS[record_type], record_id)


def _row(session: Session, user_id: uuid.UUID, record_type: str,
         record_id: uuid.UUID) -> Follow | None:
    return session.scalar(select(Follow).where(
        Follow.user_id == user_id, Follow.record_type == record_type,
        Follow.record_id == record_id))


def _state(record_type: str, record: object, row: Follow | None,
           user: User) -> FollowState:
    if row is not None:
        return FollowState(record_type, record.id, row.following, row.kinds, row.reason,
                           record_title(record_type, record), row.created_at)
    owner = record.owner_id == user.id
    return FollowState(record_type, record.id, owner, None, "owner" if owner else None,
                       record_title(record_type, record))


def get_follow(session: Session, user: User, record_type: str,
               record_id: uuid.UUID) -> FollowState:
    """This user's follow of a live record (following false when never followed)."""
    record = _live_record(session, record_type, record_id)
    return _state(record_type, record, _row(session, user.id, record_type, record_id), user)


def set_follow(session: Session, user: User, record_type: str, record_id: uuid.UUID,
               data: dict) -> FollowState:
    """Follow a live record (for some kinds, or all) or stop following it: a kept choice."""
    record = _live_record(session, record_type, record_id)
    row = _row(session, user.id, record_type, record_id)
    if row is None:
        row = Follow(id=uuid.uuid4(), user_id=user.id, record_type=record_type,
                     record_id=record_id, created_at=utcnow())
        session.add(row)
    row.following = data["following"]
    row.kinds = list(dict.fromkeys(data["kinds"])) if data.get("kinds") is not None else None
    row.reason = "manual"
    session.flush()
    return _state(record_type, record, row, user)


def _live_ids(record_type: str):
    model = MODELS[record_type]
    return and_(Follow.record_type == record_type,
                Follow.record_id.in_(select(model.id).where(model.deleted_at.is_(None))))


def list_mine(session: Session, user: User, args: dict) -> Page:
    """The live records this user follows, most recently followed first."""
    stmt = select(Follow).where(Follow.user_id == user.id, Follow.following.is_(True))
    types = [args["record_type"]] if args.get("record_type") else list(MODELS)
    stmt = stmt.where(or_(*(_live_ids(t) for t in types)))
    page = paginate(session, stmt, [Follow.created_at, Follow.id], limit=args["limit"],
                    cursor=args["cursor"], descending=True)
    items = []
    for row in page.items:
        record = session.get(MODELS[row.record_type], row.record_id)
        items.append(_state(row.record_type, record, row, user))
    return Page(items, page.next_cursor)


# -- automatic follows --------------------------------------------------------------------------

def follow_automatically(session: Session, user_ids: Iterable[uuid.UUID | None],
                         record_type: str, record_id: uuid.UUID, reason: str) -> None:
    """Make these users follow the record unless they already have a row (kept unfollows too).

    INSERT ... ON CONFLICT DO NOTHING: two exchanges logged at once on the same company must
    not fail one another over the same automatic follow.
    """
    wanted = sorted({u for u in user_ids if u is not None})
    if not wanted:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    rows = [{"id": uuid.uuid4(), "user_id": user_id, "record_type": record_type,
             "record_id": record_id, "following": True, "reason": reason,
             "created_at": now} for user_id in wanted]
    session.execute(insert(Follow).on_conflict_do_nothing(
        index_elements=["user_id", "record_type", "record_id"]), rows)


def auto_followers(session: Session, record_type: str) -> list[uuid.UUID]:
    """Active users who follow every new record of this type (their settings say so)."""
    rows = session.execute(select(NotificationPreference.user_id,
                                  NotificationPreference.auto_follow)
                           .join(User, User.id == NotificationPreference.user_id)
                           .where(User.active.is_(True), User.deleted_at.is_(None)))
    return [user_id for user_id, types in rows if record_type in (types or [])]


def record_created(session: Session, creator: User, record_type: str, record: object) -> None:
    """A new record: its owner, its creator and whoever follows every new one follow it."""
    follow_automatically(session, [record.owner_id], record_type, record.id, "owner")
    follow_automatically(session, [creator.id], record_type, record.id, "created")
    follow_automatically(session, auto_followers(session, record_type), record_type,
                         record.id, "auto")


# -- routing ------------------------------------------------------------------------------------

def followers(session: Session, record_type: str, record: object, kind: str) -> set[uuid.UUID]:
    """Who follows this record for this kind of fact: the rows, and the owner unless a row of
    theirs says otherwise."""
    rows = session.execute(select(Follow.user_id, Follow.following, Follow.kinds).where(
        Follow.record_type == record_type, Follow.record_id == record.id))
    out, decided = set(), set()
    for user_id, following, kinds in rows:
        decided.add(user_id)
        if following and (kinds is None or kind in kinds):
            out.add(user_id)
    if record.owner_id is not None and record.owner_id not in decided:
        out.add(record.owner_id)
    return out
