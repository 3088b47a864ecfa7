"""Re-evaluation after the writes that matter: logging a call on a neglected deal resolves its
alert in the same transaction, not at the next sweep.

Services call `touched(session, record)` (one line) around a write; just before the outer
commit the rules concerned run on those records only, on the transaction's final state. The
records are read both when touched and at commit, so an exchange moved from one deal to
another re-evaluates both. The work runs in a savepoint: if it fails, the user's write still
commits and the next periodic sweep catches up.

A write never opens a `record_unowned` alert (taking charge of a record resolves it at once):
a record saved without an owner is often being set up, and the managers would be pinged for
every such save; the periodic sweep opens it if the record stays unowned.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.live.commit import before_commit, first_in_transaction
from app.models import Company, Contact, Deal, Exchange, Task
from app.services.alerts.rules import RULES

log = logging.getLogger("tournee.alerts")
PENDING = "alerts_touched"
OPENED_ON_WRITE = frozenset(RULES) - {"record_unowned"}


def touched(session: Session, record: object) -> None:
    """Re-evaluate the alerts of this record (and those it bears on) before the commit."""
    if first_in_transaction(session, ("alerts", "touched")):
        session.info[PENDING] = ({}, [])
        before_commit(session, _recheck, session)
    keys, records = session.info[PENDING]
    _add_keys(keys, record)
    records.append(record)


def _add_keys(keys: dict[str, set[uuid.UUID]], record: object) -> None:
    def add(kind: str, record_id: uuid.UUID | None) -> None:
        if record_id is not None:
            keys.setdefault(kind, set()).add(record_id)

    if isinstance(record, Exchange):
        add("company", record.company_id)
        add("contact", record.contact_id)
        for deal in record.deals:
            add("deal", deal.id)
    elif isinstance(record, Deal):
        add("deal", record.id)
        add("company", record.company_id)
    elif isinstance(record, Company):
        add("company", record.id)
    elif isinstance(record, Contact):
        add("contact", record.id)
    elif isinstance(record, Task):
        add("task", record.id)


def _stored(record: object) -> bool:
    state = inspect(record)
    return state.persistent or state.pending


def _recheck(session: Session) -> None:
    from app.services.alerts.engine import sweep

    keys, records = session.info.pop(PENDING, ({}, []))
    for record in records:
        if _stored(record):  # its final state (not one rolled back with a sync mutation)
            _add_keys(keys, record)
    if not any(keys.values()):
        return  # an exchange about no client, say
    savepoint = session.begin_nested()
    try:
        sweep(session, records=keys, opening=OPENED_ON_WRITE)
        savepoint.commit()
    except SQLAlchemyError:
        savepoint.rollback()
        log.exception("alerts: re-evaluation after a write failed; the next sweep will do it")
