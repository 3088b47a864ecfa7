"""Timelines: every visible exchange about a record, newest first."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, Uuid, bindparam, exists, func, select, union
from sqlalchemy.orm import Session

from app.models import Company, CompanyContact, Contact, Deal, Exchange, User, exchange_deals
from app.services import records
from app.services.exchange_views import VISIBLE_ROWS, page_of_views
from app.services.pagination import Page


def _company_exchange_ids(company_id: uuid.UUID):
    """Ids of exchanges on the company, its contacts or its deals (each arm uses an index)."""
    contacts = select(CompanyContact.contact_id).where(CompanyContact.company_id == company_id)
    deals = select(Deal.id).where(Deal.company_id == company_id)
    return union(
        select(Exchange.id).where(Exchange.company_id == company_id),
        # A contact's exchange logged against another of its companies stays over there.
        # COALESCE, not "company_id IS NULL OR company_id = :c": given that OR, SQLite
        # serves both halves from the company index and reads every company-less exchange.
        select(Exchange.id).where(Exchange.contact_id.in_(contacts),
                                  func.coalesce(Exchange.company_id, company_id) == company_id),
        select(exchange_deals.c.exchange_id).where(exchange_deals.c.deal_id.in_(deals)),
    )


def _exchange_ids(entity: str, record_id: uuid.UUID):
    if entity == "company":
        return _company_exchange_ids(record_id)
    if entity == "contact":
        return select(Exchange.id).where(Exchange.contact_id == record_id)
    return select(exchange_deals.c.exchange_id).where(exchange_deals.c.deal_id == record_id)


MODELS = {"company": Company, "contact": Contact, "deal": Deal}
RECORD = bindparam("record_id", type_=Uuid())


def _statement(entity: str) -> Select:
    """The visible exchanges about a record, given only while the record is live."""
    live = MODELS[entity].__table__.alias("live_record")  # not the joined company or contact
    return VISIBLE_ROWS.where(
        Exchange.id.in_(_exchange_ids(entity, RECORD)),
        exists().where(live.c.id == RECORD, live.c.deleted_at.is_(None)))


# One statement per kind of record, built once (the record and the viewer bound at each run).
STATEMENTS = {entity: _statement(entity) for entity in MODELS}


def timeline(session: Session, user: User, entity: str, record_id: uuid.UUID, *,
             limit: int, cursor: str | None) -> Page:
    """Return a page of the record's timeline as the user may see it (404 for a record that
    is missing or deleted: checked apart only when the page is empty)."""
    page = page_of_views(session, user, STATEMENTS[entity], limit=limit, cursor=cursor,
                         params={"record_id": record_id}, kept=True)
    if not page.items:
        records.check_live(session, MODELS[entity], record_id)
    return page
