"""Exchanges: calls, visits, notes... and who may see them."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, false, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import (
    Attachment,
    Company,
    Contact,
    Deal,
    Exchange,
    ExchangeKind,
    Outcome,
    RecordEvent,
    Task,
    User,
    exchange_participants,
    utcnow,
)
from app.services import exchange_notices, records
from app.services.alerts.watch import touched as alerts_touched
from app.services.errors import Forbidden, Invalid, NotFound

FIELDS = ("state", "subject", "details", "starts_at", "ends_at", "company_id", "contact_id",
          "private")


def is_participant(user_id: uuid.UUID):
    """SQL condition: the user takes part in the exchange."""
    return exists().where(exchange_participants.c.exchange_id == Exchange.id,
                          exchange_participants.c.user_id == user_id)


def visible_to(user: User):
    """SQL condition: the exchange is public, or the user wrote it or takes part in it."""
    return visible_to_id(user.id)


def visible_to_id(user_id):
    """visible_to() for a user id, or a bound parameter standing for one."""
    return or_(Exchange.private == false(), Exchange.created_by_id == user_id,
               is_participant(user_id))


def can_see(user: User, exchange: Exchange) -> bool:
    """Python twin of visible_to() for a loaded exchange."""
    return (not exchange.private or exchange.created_by_id == user.id
            or user.id in exchange.participant_ids)


# What an exchange's JSON reads: many-to-one joined in the same query, collections in one each;
# of the records around it, only the columns it shows (their names, the links' ids): whole
# rows of companies, contacts and users made the page's query and its loading twice as slow.
LOAD = (joinedload(Exchange.company).load_only(Company.name),
        joinedload(Exchange.contact).load_only(Contact.first_name, Contact.last_name),
        joinedload(Exchange.created_by).load_only(User.name),
        selectinload(Exchange.deals).load_only(Deal.id),
        selectinload(Exchange.participants).load_only(User.id))


def visible(user: User):
    """Live exchanges this user may see, with what their JSON needs loaded."""
    return records.live(Exchange).where(visible_to(user)).options(*LOAD)


def _require_key(session: Session, model: type, key: str | None, current: str | None,
                 field: str) -> None:
    if key is None or key == current:
        return  # keeping a kind that was since deactivated is fine
    entry = session.scalar(select(model).where(model.key == key, model.deleted_at.is_(None)))
    if entry is None or not entry.active:
        raise Invalid("Unknown value.", fields={field: [f"No active {field} '{key}'."]})


def _apply(session: Session, exchange: Exchange, data: dict, user: User) -> None:
    _require_key(session, ExchangeKind, data.get("kind"), exchange.kind, "kind")
    _require_key(session, Outcome, data.get("outcome"), exchange.outcome, "outcome")
    records.require_live(session, Company, data.get("company_id"), "company_id")
    records.require_live(session, Contact, data.get("contact_id"), "contact_id")
    records.set_fields(exchange, data, (*FIELDS, "kind", "outcome"))
    if exchange.ends_at is not None and exchange.ends_at < exchange.starts_at:
        # Checked on the merged record: a PATCH may move either end alone.
        raise Invalid("The exchange ends before it starts.",
                      fields={"ends_at": ["Must not be before starts_at."]})
    if "deal_ids" in data:
        exchange.deals = [_live_or_invalid(session, Deal, i, "deal_ids")
                          for i in dict.fromkeys(data["deal_ids"])]
    if "participant_ids" in data:
        exchange.participants = [_active_user(session, i)
                                 for i in dict.fromkeys(data["participant_ids"])]
    if "location" in data:
        loc = data["location"] or {}
        exchange.location_lat = loc.get("lat")
        exchange.location_lng = loc.get("lng")
        exchange.location_accuracy = loc.get("accuracy")


def _live_or_invalid(session: Session, model: type, record_id: uuid.UUID, field: str):
    records.require_live(session, model, record_id, field)
    return session.get(model, record_id)


def _active_user(session: Session, user_id: uuid.UUID) -> User:
    records.require_user(session, user_id, "participant_ids")
    return session.get(User, user_id)


def get_exchange(session: Session, user: User, exchange_id: uuid.UUID) -> Exchange:
    """Return an exchange the user may see; a hidden one is simply not found."""
    exchange = records.get_live(session, Exchange, exchange_id)
    if not can_see(user, exchange):
        raise NotFound("No such exchange.")
    return exchange


def create_exchange(session: Session, user: User, data: dict) -> tuple[Exchange, bool]:
    """Log an exchange written by `user`; a replay with the same id is harmless."""
    record_id = data.get("id")
    if record_id is not None:
        existing = session.get(Exchange, record_id)
        if existing is not None and not can_see(user, existing):
            raise NotFound("No such exchange.")  # never confirm a hidden id exists
    exchange, created = records.create(session, Exchange, data, user, _apply,
                                       created_by_id=user.id)
    if created:
        exchange_notices.exchange_logged(session, user, exchange)
    alerts_touched(session, exchange)
    return exchange, created


def _editable(session: Session, user: User, exchange_id: uuid.UUID) -> Exchange:
    exchange = get_exchange(session, user, exchange_id)
    if exchange.created_by_id != user.id and not (user.role == "admin" and not exchange.private):
        raise Forbidden("Only its author may change this exchange.")
    return exchange


def update_exchange(session: Session, user: User, exchange_id: uuid.UUID, data: dict,
                    version: int) -> Exchange:
    """Edit an exchange (its author, or an admin for a public one)."""
    exchange = _editable(session, user, exchange_id)
    exchange_notices.watch_exchange(session, user, exchange)
    alerts_touched(session, exchange)  # its links now, and again at commit
    records.update(session, exchange, data, version, user, _apply)
    if data.keys() & {"private", "participant_ids"}:
        _touch_attachments(session, exchange)
    return exchange


def delete_exchange(session: Session, user: User, exchange_id: uuid.UUID) -> None:
    """Delete an exchange (its author, or an admin for a public one)."""
    exchange = _editable(session, user, exchange_id)
    records.soft_delete(session, exchange)
    alerts_touched(session, exchange)
    _touch_attachments(session, exchange)


def _touch_attachments(session: Session, exchange: Exchange) -> None:
    """Who may see an exchange changed: its files' (and the timeline events telling of it, and
    the tasks linking to it, whose `exchange_id` depends on it) next sync must say so to every
    device."""
    files = session.scalars(records.live(Attachment).where(
        Attachment.entity == "exchange", Attachment.entity_id == exchange.id))
    events = session.scalars(select(RecordEvent).where(RecordEvent.exchange_id == exchange.id))
    tasks = session.scalars(records.live(Task).where(Task.exchange_id == exchange.id))
    for row in [*files, *events, *tasks]:
        row.updated_at = utcnow()  # a new version and change_seq at flush
    session.flush()
