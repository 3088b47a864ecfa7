"""Deals ("affaires"): a company, its contacts, a stage and the money."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import STAGE_PROBABILITY, Agency, Company, Contact, Deal, DealContact, User
from app.services import record_notices, records
from app.services.alerts.watch import touched as alerts_touched
from app.services.companies import can_delete
from app.services.errors import Forbidden
from app.services.filters import contains, owner_filter
from app.services.pagination import Page, paginate

# What a deal's JSON reads, loaded with it.
LOAD = (selectinload(Deal.owner), selectinload(Deal.company),
        selectinload(Deal.contact_links).selectinload(DealContact.contact))
# The same for one deal, in its own query (built once: building options costs too).
ONE = (joinedload(Deal.owner), joinedload(Deal.company),
       joinedload(Deal.contact_links).joinedload(DealContact.contact))
FIELDS = ("name", "company_id", "stage", "amount", "currency", "recurring_amount",
          "recurring_months", "expected_close_date", "owner_id", "agency_id", "notes")


def _apply(session: Session, deal: Deal, data: dict, user: User) -> None:
    records.require_live(session, Company, data.get("company_id"), "company_id")
    records.require_user(session, data.get("owner_id"), "owner_id")
    records.require_live(session, Agency, data.get("agency_id"), "agency_id")
    stage_changed = "stage" in data and data["stage"] != deal.stage
    records.set_fields(deal, data, FIELDS)
    if data.get("probability") is not None:
        deal.probability = data["probability"]
    elif stage_changed or deal.probability is None:
        # A new stage brings its default probability unless one is given.
        deal.probability = STAGE_PROBABILITY[deal.stage]
    if "contact_links" in data:
        wanted = {link["contact_id"]: link.get("role") for link in data["contact_links"]}
        for contact_id in wanted:
            records.require_live(session, Contact, contact_id, "contacts")
        records.set_links(deal, "contact_links", "contact_id", wanted,
                          lambda cid, role: DealContact(contact_id=cid, role=role))


def list_deals(session: Session, user: User, args: dict) -> Page:
    """List live deals by name, filtered by q, owner, company and stage."""
    stmt = records.live(Deal).options(*LOAD)
    if args.get("q"):
        stmt = stmt.where(contains(Deal.name, args["q"]))
    if args.get("company_id"):
        stmt = stmt.where(Deal.company_id == args["company_id"])
    if args.get("stage"):
        stmt = stmt.where(Deal.stage == args["stage"])
    stmt = owner_filter(stmt, Deal, args.get("owner"), user)
    return paginate(session, stmt, [Deal.name, Deal.id], limit=args["limit"],
                    cursor=args["cursor"])


def get_deal(session: Session, user: User, deal_id: uuid.UUID) -> Deal:
    """Return a live deal."""
    return records.get_live(session, Deal, deal_id, ONE)


def create_deal(session: Session, user: User, data: dict) -> tuple[Deal, bool]:
    """Create a deal owned by its creator unless told otherwise."""
    data.setdefault("owner_id", user.id)
    deal, created = records.create(session, Deal, data, user, _apply, probability=None)
    if created:
        record_notices.record_created(session, user, deal, "deal")
    return deal, created


def update_deal(session: Session, user: User, deal_id: uuid.UUID, data: dict,
                version: int) -> Deal:
    """Edit a deal against the version the user saw."""
    deal = records.get_live(session, Deal, deal_id)
    records.check_handover(user, deal, data)
    record_notices.watch_deal(session, user, deal)
    alerts_touched(session, deal)
    return records.update(session, deal, data, version, user, _apply)


def delete_deal(session: Session, user: User, deal_id: uuid.UUID) -> None:
    """Delete a deal; its exchanges stay on the company's timeline."""
    deal = records.get_live(session, Deal, deal_id)
    if not can_delete(user, deal.owner_id):
        raise Forbidden("Only its owner or a manager may delete this deal.")
    records.soft_delete(session, deal)
    alerts_touched(session, deal)
