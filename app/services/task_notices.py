"""Notices about tasks: one handed to you, one you gave completed by its assignee.

Decided just before the outer commit on the first values seen against the final ones, like
record_notices: a sync batch that creates a task and reassigns it tells the last assignee once.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.live.commit import before_commit, first_in_transaction
from app.models import Task, User
from app.services.events import add_event
from app.services.notify import ROUTES, Notice, store_and_deliver
from app.services.record_notices import recipient
from app.services.users import user_zone

ASSIGNED = {"fr": "{actor} vous confie cette tâche", "en": "{actor} gave you this task"}
DUE = {"fr": " · échéance le {date}", "en": " · due {date}"}
DATE_FORMAT = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}
DONE = {"fr": "{actor} a terminé cette tâche", "en": "{actor} completed this task"}


def _record(task: Task) -> tuple[str, uuid.UUID] | None:
    """The most specific record a task is about: its deal, else contact, else company."""
    return next(((entity, record_id) for entity, record_id in (
        ("deal", task.deal_id), ("contact", task.contact_id), ("company", task.company_id))
        if record_id is not None), None)


def task_url(task: Task) -> str:
    """Where a task opens in the app: its deal, contact or company, else the task list."""
    record = _record(task)
    return f"/#/{ROUTES[record[0]]}/{record[1]}" if record else "/#/tasks"


def watch(session: Session, actor: User, task: Task, new: bool = False) -> None:
    """Before a task is created or edited: decide at commit who hears of the change."""
    if first_in_transaction(session, ("task", task.id)):
        old = (None, None) if new else (task.assignee_id, task.state)
        before_commit(session, _decide, session, actor, task, *old, guard=task)


def _decide(session: Session, actor: User, task: Task, old_assignee: uuid.UUID | None,
            old_state: str | None) -> None:
    if task.deleted_at is not None:
        return
    if task.assignee_id != old_assignee and task.state == "open":
        _tell(session, task.assignee_id, actor, task, "task_assigned")
        _timeline(session, actor, task, "task_assigned")
    if task.state == "done" and old_state != "done":
        _tell(session, task.created_by_id, actor, task, "task_done")
        _timeline(session, actor, task, "task_done")


# A task is seen by its assignee, its creator and managers, the record's timeline by everyone
# who sees the record: the timeline says who handed a task to whom, never what it says.
TIMELINE = {
    "task_assigned": {"fr": ("Tâche confiée", "{actor} → {assignee}"),
                      "en": ("Task handed over", "{actor} → {assignee}")},
    "task_done": {"fr": ("Tâche terminée", "{actor}"), "en": ("Task completed", "{actor}")},
}


def _timeline(session: Session, actor: User, task: Task, kind: str) -> None:
    record = _record(task)
    if record is None:
        return
    assignee = session.get(User, task.assignee_id)
    handed = assignee is not None and assignee.id != actor.id  # not kept for oneself
    texts = {lang: {"title": title, "body": body.format(
        actor=actor.name, assignee=assignee.name) if handed else actor.name}
        for lang, (title, body) in TIMELINE[kind].items()}
    add_event(session, *record, kind, texts, actor.id)


def _tell(session: Session, user_id: uuid.UUID, actor: User, task: Task, kind: str) -> None:
    user = recipient(session, user_id, actor)
    if user is None:
        return
    texts = {lang: {"title": task.title, "body": _body(kind, lang, actor, task, user)}
             for lang in ("fr", "en")}
    notice = Notice(user.id, kind, texts, {"type": "task", "id": str(task.id)},
                    link=task_url(task))
    store_and_deliver(session, notice, actor.id, guard=task)


def _body(kind: str, lang: str, actor: User, task: Task, reader: User) -> str:
    if kind == "task_done":
        return DONE[lang].format(actor=actor.name)
    body = ASSIGNED[lang].format(actor=actor.name)
    if task.due_at is not None:  # the day as the assignee's calendar shows it
        day = task.due_at.astimezone(user_zone(reader)).strftime(DATE_FORMAT[lang])
        body += DUE[lang].format(date=day)
    return body
