"""Exchanges as lists show them (timelines, GET /api/exchanges): read as rows, not objects.

A page of 50 exchanges loaded through the ORM built 50 Exchange objects, their companies,
contacts and authors, and two collections each (deals, participants): two thirds of a
timeline's time in the server (bench/bench_read.py). Here one query reads the exchanges'
columns with the names shown beside them, and one more query reads the page's deal and
participant ids. ExchangeView has the attributes the Exchange model has for its JSON, so
ExchangeSchema dumps both alike (tests/services/test_exchange_views.py checks it on every
exchange of a book). Writes and single exchanges still go through the model.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, Uuid, bindparam, exists, literal, or_, select, union_all
from sqlalchemy.orm import Session

from app.models import Company, Contact, Exchange, User, exchange_deals, exchange_participants
from app.models.company import full_name
from app.models.exchange import location
from app.services.exchanges import is_participant, visible_to_id
from app.services.pagination import Page, paginate

COLUMNS = (Exchange.id, Exchange.version, Exchange.created_at, Exchange.updated_at,
           Exchange.kind, Exchange.state, Exchange.outcome, Exchange.subject, Exchange.details,
           Exchange.starts_at, Exchange.ends_at, Exchange.company_id, Exchange.contact_id,
           Exchange.private, Exchange.location_lat, Exchange.location_lng,
           Exchange.location_accuracy, Exchange.created_by_id,
           Company.name.label("company_name"), Contact.first_name.label("contact_first_name"),
           Contact.last_name.label("contact_last_name"), User.name.label("created_by_name"))
ORDER = (Exchange.starts_at, Exchange.id)  # newest first, as every list of exchanges


@dataclass(slots=True)
class ExchangeView:
    """An exchange as its JSON shows it: the attributes ExchangeSchema reads."""

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime
    kind: str
    state: str
    outcome: str | None
    subject: str | None
    details: str | None
    starts_at: datetime
    ends_at: datetime | None
    company_id: uuid.UUID | None
    company_name: str | None
    contact_id: uuid.UUID | None
    contact_name: str | None
    private: bool
    location: dict | None
    created_by_id: uuid.UUID
    created_by_name: str
    deal_ids: list[uuid.UUID]
    participant_ids: list[uuid.UUID]


# Built once: the statements take the viewer (and the page's ids) as bound parameters, so a
# request neither builds them again nor binds 50 ids one by one.
VIEWER = bindparam("viewer_id", type_=Uuid())
# Live exchanges a viewer may see, as rows of COLUMNS: filter on Exchange's columns and run
# with page_of_views(), which binds the viewer. A company, contact or author is joined even
# when deleted, as the model's relations load them: the timeline still names who it was.
VISIBLE_ROWS = (select(*COLUMNS).select_from(Exchange)
                .outerjoin(Company, Company.id == Exchange.company_id)
                .outerjoin(Contact, Contact.id == Exchange.contact_id)
                .join(User, User.id == Exchange.created_by_id)
                .where(Exchange.deleted_at.is_(None), visible_to_id(VIEWER)))
# The page's deals and participants in one query: (exchange, "deal" or "participant", id).
PAGE_IDS = bindparam("ids", expanding=True)
LINKED_IDS = union_all(
    select(exchange_deals.c.exchange_id, literal("deal"), exchange_deals.c.deal_id)
    .where(exchange_deals.c.exchange_id.in_(PAGE_IDS)),
    select(exchange_participants.c.exchange_id, literal("participant"),
           exchange_participants.c.user_id)
    .where(exchange_participants.c.exchange_id.in_(PAGE_IDS)))


def page_of_views(session: Session, user: User, stmt: Select, *, limit: int,
                  cursor: str | None, params: dict | None = None, kept: bool = False
                  ) -> Page:
    """Run a VISIBLE_ROWS statement for `user` newest first, one page after `cursor`, as
    views; `params`: the values of the statement's other bound parameters; `kept`: the
    statement is built once for the process (see paginate())."""
    page = paginate(session, stmt, ORDER, limit=limit, cursor=cursor, descending=True,
                    rows=True, params={**(params or {}), "viewer_id": user.id}, kept=kept)
    links: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = defaultdict(list)
    if page.items:
        for exchange_id, kind, other_id in session.execute(
                LINKED_IDS, {"ids": [row.id for row in page.items]}):
            links[exchange_id, kind].append(other_id)
    views = []
    for (exchange_id, version, created_at, updated_at, kind, state, outcome, subject, details,
         starts_at, ends_at, company_id, contact_id, private, lat, lng, accuracy, created_by_id,
         company_name, first_name, last_name, created_by_name) in page.items:
        # Unpacked, not read by name, and passed in field order: a Row's names and keyword
        # arguments were a tenth of a timeline's time in the server.
        views.append(ExchangeView(
            exchange_id, version, created_at, updated_at, kind, state, outcome, subject,
            details, starts_at, ends_at, company_id, company_name, contact_id,
            full_name(first_name, last_name) if contact_id is not None else None, private,
            location(lat, lng, accuracy), created_by_id, created_by_name,
            links.get((exchange_id, "deal"), []),
            links.get((exchange_id, "participant"), [])))
    page.items = views
    return page


def list_exchanges(session: Session, user: User, args: dict) -> Page:
    """List visible exchanges, newest first, with the usual filters."""
    stmt = VISIBLE_ROWS
    if args.get("mine"):
        stmt = stmt.where(or_(Exchange.created_by_id == user.id, is_participant(user.id)))
    for name in ("state", "kind", "company_id", "contact_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Exchange, name) == args[name])
    if args.get("deal_id"):
        stmt = stmt.where(exists().where(exchange_deals.c.exchange_id == Exchange.id,
                                         exchange_deals.c.deal_id == args["deal_id"]))
    if args.get("starts_from"):
        stmt = stmt.where(Exchange.starts_at >= args["starts_from"])
    if args.get("starts_to"):
        stmt = stmt.where(Exchange.starts_at < args["starts_to"])
    return page_of_views(session, user, stmt, limit=args["limit"], cursor=args["cursor"])
