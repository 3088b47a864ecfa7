"""After-commit work: live hints for what changed, and callbacks (notifications, jobs).

Nothing is published before the data is committed, and nothing from a rolled-back
transaction or savepoint is published at all: a callback may name a guard object, and is
dropped if that object did not survive (a sync mutation rolled back to its savepoint).
SQLAlchemy fires before_commit and after_commit for savepoints too (each sync mutation has
one): only the outermost transaction's count here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from app.live.audience import audience_of

log = logging.getLogger("tournee.live")

CALLBACKS = "on_commit"
PREPARE = "before_commit"
HINTS = "live_hints"
ONCE = "once"


def first_in_transaction(session: Session, key: tuple) -> bool:
    """True the first time `key` is seen in the current (outer) transaction."""
    seen = session.info.setdefault(ONCE, set())
    if key in seen:
        return False
    seen.add(key)
    return True


def before_commit(session: Session, fn: Callable, *args: Any,
                  guard: object | None = None) -> None:
    """Run fn(*args) just before the outermost commit, on the transaction's final state."""
    session.info.setdefault(PREPARE, []).append((fn, args, guard))


def on_commit(session: Session, fn: Callable, *args: Any, guard: object | None = None) -> None:
    """Run fn(*args) once the current transaction commits (if `guard` is still stored)."""
    session.info.setdefault(CALLBACKS, []).append((fn, args, guard))


def note_written(session: Session, objs: list) -> None:
    """Remember who may hear of these freshly written synced rows (called during flush)."""
    hints = session.info.setdefault(HINTS, {"all": 0, "users": {}})
    for obj in objs:
        audience = audience_of(session, obj, new=obj in session.new)
        if audience is None:
            hints["all"] = max(hints["all"], obj.change_seq)
        else:
            for user_id in audience:
                key = str(user_id)
                hints["users"][key] = max(hints["users"].get(key, 0), obj.change_seq)


def _survived(obj: object) -> bool:
    state = inspect(obj)
    return state.has_identity and not state.deleted and not state.was_deleted


def _publish_hints(hints: dict) -> None:
    broker = current_app.extensions.get("live")
    if broker is None:
        return
    if hints["all"]:
        broker.publish({"type": "changes", "cursor": str(hints["all"])})
    for user_id, seq in hints["users"].items():
        if seq > hints["all"]:
            broker.publish({"type": "changes", "cursor": str(seq)}, users=[user_id])


def _run(callbacks: list) -> None:
    """Run what was registered, for guards still stored; a failure is logged, never raised:
    a notification is never worth failing (or un-committing) the user's write."""
    for fn, args, guard in callbacks:
        if guard is not None and not _survived(guard):
            continue
        try:
            fn(*args)
        except Exception:
            log.exception("commit hook %s failed", getattr(fn, "__name__", fn))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: its work is decided by the outer commit
    _run(session.info.pop(PREPARE, []))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: nothing is committed yet
    hints = session.info.pop(HINTS, None)
    callbacks = session.info.pop(CALLBACKS, [])
    session.info.pop(ONCE, None)
    try:
        if hints:
            _publish_hints(hints)
    except Exception:  # a hint is never worth failing a committed request
        log.exception("live: hints not published")
    _run(callbacks)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the whole transaction is gone, not just a savepoint
        for key in (HINTS, CALLBACKS, PREPARE, ONCE):
            session.info.pop(key, None)
