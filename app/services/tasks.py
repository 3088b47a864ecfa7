"""Tasks: instructions handed to a colleague, seen by both of them and by managers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, literal, or_, true
from sqlalchemy.orm import Session, selectinload

from app.models import Company, Contact, Deal, Exchange, Task, User, utcnow
from app.models.base import UTCDateTime
from app.services import records, task_notices
from app.services.alerts.watch import touched as alerts_touched
from app.services.errors import Forbidden, Invalid, NotFound
from app.services.pagination import Page, paginate

FIELDS = ("title", "details", "assignee_id", "due_at", "priority", "state", "company_id",
          "contact_id", "deal_id", "exchange_id")
# What a task's JSON reads: whether its exchange is private, and for whom.
LOAD = (selectinload(Task.exchange).selectinload(Exchange.participants),)
# Tasks without a due date come last: keyset pages need a value that is never null.
NO_DUE_DATE = datetime(9999, 12, 31, tzinfo=UTC)
DUE_KEY = func.coalesce(Task.due_at, literal(NO_DUE_DATE, UTCDateTime()))


def visible_to(user: User):
    """SQL condition: the user is the task's assignee or creator, or a manager."""
    if user.is_manager:
        return true()
    return or_(Task.assignee_id == user.id, Task.created_by_id == user.id)


def can_see(user: User, task: Task) -> bool:
    """Python twin of visible_to() for a loaded task."""
    return user.is_manager or user.id in (task.assignee_id, task.created_by_id)


def _require_exchange(session: Session, user: User, exchange_id: uuid.UUID) -> None:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None or exchange.deleted_at is not None or not _sees(user, exchange):
        # A private exchange the user may not see is "no such record", never a hint.
        raise Invalid("Unknown reference.", fields={"exchange_id": ["No such record."]})


def _sees(user: User, exchange: Exchange) -> bool:
    from app.services.exchanges import can_see as can_see_exchange  # exchanges -> notify

    return can_see_exchange(user, exchange)


def _apply(session: Session, task: Task, data: dict, user: User) -> None:
    # References are checked when they change: an edit of the title keeps a deal since deleted.
    if data.get("assignee_id") not in (None, task.assignee_id):
        records.require_user(session, data["assignee_id"], "assignee_id")
    for model, name in ((Company, "company_id"), (Contact, "contact_id"), (Deal, "deal_id")):
        if data.get(name) not in (None, getattr(task, name)):
            records.require_live(session, model, data[name], name)
    if data.get("exchange_id") not in (None, task.exchange_id):
        _require_exchange(session, user, data["exchange_id"])
    was_done = task.state == "done"
    records.set_fields(task, data, FIELDS)
    if task.state == "done" and not was_done:
        task.done_at = utcnow()
    elif task.state != "done":
        task.done_at = None


def list_tasks(session: Session, user: User, args: dict) -> Page:
    """My tasks (or those I gave, or the team's for a manager), by due date, undated last."""
    stmt = records.live(Task).options(*LOAD)
    scope = args.get("scope", "mine")
    if scope == "team" and not user.is_manager:
        raise Forbidden("Only managers see the team's tasks.")
    if scope == "mine":
        stmt = stmt.where(Task.assignee_id == user.id)
    elif scope == "created":
        stmt = stmt.where(Task.created_by_id == user.id)
    if args.get("state"):
        stmt = stmt.where(Task.state == args["state"])
    if args.get("due_before"):
        stmt = stmt.where(Task.due_at < args["due_before"])
    return paginate(session, stmt, [DUE_KEY, Task.id], limit=args["limit"],
                    cursor=args["cursor"], key=lambda t: [t.due_at or NO_DUE_DATE, t.id])


def get_task(session: Session, user: User, task_id: uuid.UUID) -> Task:
    """Return a task the user may see; anyone else's is simply not found."""
    task = records.get_live(session, Task, task_id)
    if not can_see(user, task):
        raise NotFound("No such task.")
    return task


def create_task(session: Session, user: User, data: dict) -> tuple[Task, bool]:
    """Give a task (to oneself unless an assignee is named); a replay with the same id is
    harmless."""
    record_id = data.get("id")
    if record_id is not None:
        existing = session.get(Task, record_id)
        if existing is not None and not can_see(user, existing):
            raise NotFound("No such task.")  # never confirm a hidden id exists
    data.setdefault("assignee_id", user.id)
    task, created = records.create(session, Task, data, user, _apply, created_by_id=user.id)
    if created:
        task_notices.watch(session, user, task, new=True)
        alerts_touched(session, task)
    return task, created


def update_task(session: Session, user: User, task_id: uuid.UUID, data: dict,
                version: int) -> Task:
    """Edit, reassign, complete or reopen a task against the version the user saw."""
    task = get_task(session, user, task_id)
    task_notices.watch(session, user, task)
    alerts_touched(session, task)
    return records.update(session, task, data, version, user, _apply)


def delete_task(session: Session, user: User, task_id: uuid.UUID) -> None:
    """Delete a task (its creator or a manager; the assignee may cancel it instead)."""
    task = get_task(session, user, task_id)
    if task.created_by_id != user.id and not user.is_manager:
        raise Forbidden("Only its creator or a manager may delete this task.")
    records.soft_delete(session, task)
    alerts_touched(session, task)

