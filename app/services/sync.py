"""Sync: what changed since a cursor (pull) and exactly-once outbox mutations (push)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.models import (
    Alert,
    Attachment,
    ChangeCounter,
    Company,
    Contact,
    Deal,
    Exchange,
    ExchangeKind,
    Outcome,
    RecordEvent,
    SyncClient,
    Task,
    User,
    utcnow,
)
from app.services import attachments, companies, contacts, deals, events, exchanges, tasks
from app.services.alerts import lifecycle as alerts
from app.services.errors import Conflict, DomainError, Invalid, NotFound

# What each entity's JSON reads, loaded with the page.
LOAD = {"company": companies.LOAD, "contact": contacts.LOAD, "deal": deals.LOAD,
        "exchange": exchanges.LOAD, "task": tasks.LOAD}
log = logging.getLogger(__name__)
PULLED = {"company": Company, "contact": Contact, "deal": Deal, "exchange": Exchange,
          "exchange_kind": ExchangeKind, "outcome": Outcome, "user": User,
          "attachment": Attachment, "task": Task, "record_event": RecordEvent, "alert": Alert}


@dataclass
class Change:
    entity: str
    id: uuid.UUID
    op: str  # upsert | delete
    record: Any  # the model instance for an upsert, None for a delete
    seq: int


def _visible(session: Session, user: User, entity: str, obj: Any) -> bool:
    if obj.deleted_at is not None:
        return False
    if entity == "exchange":
        return exchanges.can_see(user, obj)
    if entity == "attachment":
        return attachments.owner_visible(session, user, obj)
    if entity == "user":
        return obj.active
    if entity == "task":
        return tasks.can_see(user, obj)
    if entity == "record_event":
        return events.visible(session, user, obj)
    if entity == "alert":  # a resolved alert leaves its user's devices
        return obj.state != "resolved"
    return True


class CursorExpired(DomainError):
    status = 410
    code = "cursor_expired"


def _next_rows(session: Session, since: int, limit: int,
               upper: int) -> tuple[list[tuple], bool]:
    """(seq, entity, id) of the next `limit` changes across tables up to `upper`, and whether
    more follow."""
    # Every seq up to the counter's committed value is committed (the counter is bumped in
    # the writer's transaction and held till its commit). Reading no further keeps a page
    # whole on PostgreSQL, where each query below sees what committed before it: without
    # the bound a commit landing between two of them could hand out N+1 without N, and the
    # cursor would pass N for good. (SQLite reads all of them in one snapshot anyway.)
    rows: list[tuple] = []
    for entity, model in PULLED.items():
        # One more than a page from each table: the first `limit` of the merge are then
        # exact, and the extra row says whether anything is left (no empty last page).
        stmt = (select(model.change_seq, model.id)
                .where(model.change_seq > since, model.change_seq <= upper)
                .order_by(model.change_seq).limit(limit + 1))
        rows += [(seq, entity, record_id) for seq, record_id in session.execute(stmt)]
    rows.sort(key=lambda row: row[0])
    return rows[:limit], len(rows) > limit


def _load(session: Session, rows: list[tuple]) -> dict[tuple[str, uuid.UUID], Any]:
    """The records of a page, one query per table with what their JSON reads."""
    loaded = {}
    for entity, model in PULLED.items():
        ids = [record_id for _, e, record_id in rows if e == entity]
        if ids:
            stmt = select(model).where(model.id.in_(ids)).options(*LOAD.get(entity, ()))
            loaded |= {(entity, obj.id): obj for obj in session.scalars(stmt)}
    return loaded


INITIAL = ":initial"


def changes_since(session: Session, user: User, cursor: str, limit: int,
                  window_days: int) -> tuple[list[Change], str, bool]:
    """Changes after `cursor` in change_seq order, as this user may see them now.

    The cursor is "<epoch>.<seq>" (opaque to clients); one of another epoch, or past the
    counter, is refused with 410 `cursor_expired`. Exchanges older than the window are left
    out (devices fetch them on demand). During a
    first sync (from "0", and every page of it: the cursor carries ":initial" until the last
    page) deletes are left out too, since the device has nothing to delete.
    """
    epoch, _, position = cursor.removesuffix(INITIAL).rpartition(".")
    since = int(position)
    initial = since == 0 or cursor.endswith(INITIAL)
    upper, current = session.execute(select(ChangeCounter.value, ChangeCounter.epoch)
                                     .where(ChangeCounter.id == 1)).one()
    # A cursor of another life of the database (before a restore), or past the counter, would
    # skip changes numbered again since: the device must start afresh. A cursor without an
    # epoch (a device from before epochs) is taken as it is, once.
    if since and ((epoch and epoch != current) or since > upper):
        raise CursorExpired("This device's copy comes from an earlier state of the server: "
                            "sync again from the start.")
    horizon = utcnow() - timedelta(days=window_days)
    rows, has_more = _next_rows(session, since, limit, upper)
    loaded = _load(session, rows)
    out = []
    for seq, entity, record_id in rows:
        obj = loaded[(entity, record_id)]
        if entity == "alert" and not alerts.can_see(user, obj):
            continue  # never on this device: an alert's user never changes
        if entity == "exchange" and obj.starts_at < horizon:
            continue
        if _visible(session, user, entity, obj):
            out.append(Change(entity, record_id, "upsert", obj, seq))
        elif not initial:
            out.append(Change(entity, record_id, "delete", None, seq))
    last = rows[-1][0] if rows else since
    return out, f"{current}.{last}{INITIAL if initial and has_more else ''}", has_more


@dataclass
class Mutation:
    seq: int
    entity: str
    op: str  # create | update | delete
    id: uuid.UUID
    data: dict | None = None
    base_version: int | None = None
    error: DomainError | None = None  # invalid before reaching the service


@dataclass
class Result:
    seq: int
    status: str  # applied | duplicate | conflict | rejected
    record: Any = None
    error: DomainError | None = None


SERVICES: dict[str, tuple[Callable, Callable, Callable]] = {
    "company": (companies.create_company, companies.update_company, companies.delete_company),
    "contact": (contacts.create_contact, contacts.update_contact, contacts.delete_contact),
    "deal": (deals.create_deal, deals.update_deal, deals.delete_deal),
    "exchange": (exchanges.create_exchange, exchanges.update_exchange, exchanges.delete_exchange),
    "task": (tasks.create_task, tasks.update_task, tasks.delete_task),
    "alert": (alerts.refuse_create, alerts.update_alert, alerts.refuse_delete),
}


def _apply(session: Session, user: User, m: Mutation) -> Any:
    create, update, delete = SERVICES[m.entity]
    if m.error is not None:
        raise m.error
    if m.op == "create":
        return create(session, user, {**m.data, "id": m.id})[0]
    if m.op == "update":
        return update(session, user, m.id, m.data, m.base_version)
    with suppress(NotFound):  # already gone: what the user wanted
        delete(session, user, m.id)
    return None


def _client(session: Session, user: User, client_id: uuid.UUID) -> SyncClient:
    # Locked: a retry racing the original request waits for it, then sees its last_seq.
    client = session.get(SyncClient, (client_id, user.id), with_for_update=True)
    if client is None:
        client = SyncClient(client_id=client_id, user_id=user.id, last_seq=0)
        session.add(client)
    return client


def push(session: Session, user: User, client_id: uuid.UUID,
         mutations: list[Mutation]) -> tuple[list[Result], int]:
    """Apply a device's mutations in seq order, each once; the caller commits the batch."""
    client = _client(session, user, client_id)
    results = []
    for m in sorted(mutations, key=lambda m: m.seq):
        if m.seq <= client.last_seq:
            results.append(Result(m.seq, "duplicate"))
            continue
        savepoint = session.begin_nested()
        try:
            record = _apply(session, user, m)
            savepoint.commit()
            results.append(Result(m.seq, "applied", record))
        except Conflict as error:
            savepoint.rollback()
            results.append(Result(m.seq, "conflict", error.current, error))
        except DomainError as error:
            savepoint.rollback()
            results.append(Result(m.seq, "rejected", None, error))
        except SQLAlchemyError:
            # The database refused what validation let through: this mutation only.
            savepoint.rollback()
            log.exception("push: mutation %s of client %s not stored", m.seq, client_id)
            results.append(Result(m.seq, "rejected", None, Invalid(
                "This change could not be stored.", code="not_stored")))
        client.last_seq = m.seq  # done, whatever the outcome: a resend is a duplicate
    client.last_seen_at = utcnow()
    session.flush()
    return results, client.last_seq
