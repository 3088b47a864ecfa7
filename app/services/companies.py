"""Companies: the firm's shared book of clients, prospects and suspects."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Agency, Company, Deal, User
from app.services import record_notices, records
from app.services.alerts.watch import touched as alerts_touched
from app.services.errors import Conflict, Forbidden
from app.services.filters import contains, owner_filter
from app.services.pagination import Page, paginate

# What a company's JSON reads, loaded with it.
LOAD = (selectinload(Company.owner),)
ONE = (joinedload(Company.owner),)  # the same for one company, in its own query
FIELDS = ("name", "status", "phone", "email", "website", "street", "postal_code", "city",
          "country", "lat", "lng", "owner_id", "agency_id", "notes")


def _apply(session: Session, company: Company, data: dict, user: User) -> None:
    records.require_user(session, data.get("owner_id"), "owner_id")
    records.require_live(session, Agency, data.get("agency_id"), "agency_id")
    records.set_fields(company, data, FIELDS)


def list_companies(session: Session, user: User, args: dict) -> Page:
    """List live companies by name, filtered by q, owner and status."""
    stmt = records.live(Company).options(*LOAD)
    if args.get("q"):
        stmt = stmt.where(contains(Company.name, args["q"]))
    if args.get("status"):
        stmt = stmt.where(Company.status == args["status"])
    stmt = owner_filter(stmt, Company, args.get("owner"), user)
    return paginate(session, stmt, [Company.name, Company.id],
                    limit=args["limit"], cursor=args["cursor"])


def get_company(session: Session, user: User, company_id: uuid.UUID) -> Company:
    """Return a live company."""
    return records.get_live(session, Company, company_id, ONE)


def create_company(session: Session, user: User, data: dict) -> tuple[Company, bool]:
    """Create a company owned by its creator unless told otherwise."""
    data.setdefault("owner_id", user.id)
    data.setdefault("agency_id", user.agency_id)
    company, created = records.create(session, Company, data, user, _apply)
    if created:
        record_notices.record_created(session, user, company, "company")
    return company, created


def update_company(session: Session, user: User, company_id: uuid.UUID, data: dict,
                   version: int) -> Company:
    """Edit a company against the version the user saw."""
    company = records.get_live(session, Company, company_id)
    records.check_handover(user, company, data)
    record_notices.watch_owner(session, user, company, "company")
    alerts_touched(session, company)
    return records.update(session, company, data, version, user, _apply)


def can_delete(user: User, owner_id: uuid.UUID | None) -> bool:
    """Managers delete anything; a salesperson only what they are in charge of."""
    return user.is_manager or owner_id in (None, user.id)


def delete_company(session: Session, user: User, company_id: uuid.UUID) -> None:
    """Delete a company that has no live deal."""
    company = records.get_live(session, Company, company_id)
    if not can_delete(user, company.owner_id):
        raise Forbidden("Only its owner or a manager may delete this company.")
    has_deals = session.scalar(select(exists().where(
        Deal.company_id == company.id, Deal.deleted_at.is_(None))))
    if has_deals:
        raise Conflict("This company still has deals.", current=company, code="in_use")
    records.soft_delete(session, company)
    alerts_touched(session, company)
