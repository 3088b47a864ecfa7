"""Appointment reminders: a push to the author and participants N minutes before the start.

Each user chooses N (`reminder_minutes`, default 15, None: no reminders). One reminder per
(exchange, user, start time): a moved appointment is reminded again at its new time.
A bounded number of queries per run, whatever the number of appointments.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import (
    Company,
    Deal,
    Exchange,
    ExchangeKind,
    NotificationPreference,
    ReminderSent,
    User,
    utcnow,
)
from app.services import exchanges
from app.services.calendar_feed import record_link
from app.services.notify import Notice, store_and_deliver

DEFAULT_MINUTES = 15
# A run a little late still reminds of what just began (the job runs on the minute).
GRACE = timedelta(minutes=1)
BODY = {"fr": "Dans {lead} : {what}", "en": "In {lead}: {what}"}
NOW = {"fr": "Maintenant : {what}", "en": "Now: {what}"}


# Whole users (who is active, their language), not the names the exchange's JSON needs.
REMINDER_LOAD = (joinedload(Exchange.company).load_only(Company.name),
                 joinedload(Exchange.created_by), selectinload(Exchange.deals).load_only(Deal.id),
                 selectinload(Exchange.participants))


@dataclass
class Due:
    exchange: Exchange
    user: User
    minutes_left: int


def _minutes_by_user(session: Session, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, int | None]:
    prefs = session.execute(select(NotificationPreference.user_id,
                                   NotificationPreference.reminder_minutes)
                            .where(NotificationPreference.user_id.in_(user_ids)))
    return dict(prefs.all())


def _candidates(session: Session, now: datetime) -> list[Exchange]:
    """Planned live exchanges starting within the longest lead anyone asked for."""
    longest = session.scalar(select(func.max(NotificationPreference.reminder_minutes))) or 0
    horizon = now + timedelta(minutes=max(longest, DEFAULT_MINUTES))
    stmt = (select(Exchange).where(Exchange.state == "planned", Exchange.deleted_at.is_(None),
                                   Exchange.starts_at > now - GRACE,
                                   Exchange.starts_at <= horizon)
            .options(*REMINDER_LOAD).order_by(Exchange.starts_at, Exchange.id))
    return list(session.scalars(stmt).unique())


def due_reminders(session: Session, now: datetime | None = None) -> list[Due]:
    """Who should be reminded of which appointment now, and has not been for this start."""
    now = now or utcnow()
    candidates = _candidates(session, now)
    if not candidates:
        return []
    people = {(e.id, u.id): (e, u) for e in candidates for u in (e.created_by, *e.participants)}
    minutes = _minutes_by_user(session, {u.id for _, u in people.values()})
    sent = {tuple(row) for row in session.execute(
        select(ReminderSent.exchange_id, ReminderSent.user_id, ReminderSent.starts_at)
        .where(ReminderSent.exchange_id.in_([e.id for e in candidates])))}
    due = []
    for exchange, user in people.values():
        lead = minutes.get(user.id, DEFAULT_MINUTES)
        if lead is None or not user.is_active or not exchanges.can_see(user, exchange):
            continue
        left = exchange.starts_at - now
        if left > timedelta(minutes=lead) or (exchange.id, user.id, exchange.starts_at) in sent:
            continue
        due.append(Due(exchange, user, max(0, math.ceil(left.total_seconds() / 60))))
    return due


def send_reminders(session: Session, now: datetime | None = None) -> int:
    """Record and deliver (after commit) every reminder due now; return how many."""
    now = now or utcnow()
    due = due_reminders(session, now)
    kinds = {k.key: k for k in session.scalars(select(ExchangeKind))} if due else {}
    for item in due:
        session.add(ReminderSent(exchange_id=item.exchange.id, user_id=item.user.id,
                                 starts_at=item.exchange.starts_at, sent_at=now))
    session.flush()  # a concurrent run that recorded them first fails here, before any notice
    for item in due:
        exchange = item.exchange
        ttl = max(60, int((exchange.starts_at - now).total_seconds()))
        notice = Notice(item.user.id, "appointment_reminder",
                        _texts(exchange, kinds.get(exchange.kind), item.minutes_left),
                        {"type": "exchange", "id": str(exchange.id)},
                        exchange_id=str(exchange.id), ttl=ttl, urgency="high",
                        expires_at=exchange.starts_at,
                        link=record_link(exchange))
        store_and_deliver(session, notice, None, guard=exchange)
    return len(due)


def lead_text(minutes: int, lang: str) -> str:
    """"15 min", "1 h 30" / "1 h 30 min"."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest:02d}" if lang == "fr" else f"{hours} h {rest} min"


def _texts(exchange: Exchange, kind: ExchangeKind | None, minutes: int) -> dict:
    texts = {}
    for lang in ("fr", "en"):
        kind_name = getattr(kind, f"name_{lang}") if kind else exchange.kind
        what = " — ".join(p for p in (kind_name, exchange.company.name if exchange.company
                                      else None) if p)
        body = (NOW[lang].format(what=what) if minutes <= 0
                else BODY[lang].format(lead=lead_text(minutes, lang), what=what))
        texts[lang] = {"title": (exchange.subject or "").strip() or kind_name, "body": body}
    return texts
