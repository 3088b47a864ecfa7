"""Contacts: people, each linked to companies with a role."""

from __future__ import annotations

import uuid

from sqlalchemy import exists
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Company, CompanyContact, Contact, User
from app.services import record_notices, records
from app.services.alerts.watch import touched as alerts_touched
from app.services.companies import can_delete
from app.services.errors import Forbidden
from app.services.filters import contains, owner_filter
from app.services.pagination import Page, paginate

# What a contact's JSON reads, loaded with it.
LOAD = (selectinload(Contact.owner),
        selectinload(Contact.company_links).selectinload(CompanyContact.company))
# The same for one contact, in its own query (built once: building options costs too).
ONE = (joinedload(Contact.owner),
       joinedload(Contact.company_links).joinedload(CompanyContact.company))
FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "mobile", "owner_id",
          "notes")


def _apply(session: Session, contact: Contact, data: dict, user: User) -> None:
    records.require_user(session, data.get("owner_id"), "owner_id")
    records.set_fields(contact, data, FIELDS)
    if "company_links" in data:
        wanted = {link["company_id"]: link.get("role") for link in data["company_links"]}
        for company_id in wanted:
            records.require_live(session, Company, company_id, "companies")
        records.set_links(contact, "company_links", "company_id", wanted,
                          lambda cid, role: CompanyContact(company_id=cid, role=role))


def list_contacts(session: Session, user: User, args: dict) -> Page:
    """List live contacts by last name, filtered by q, owner and company."""
    stmt = records.live(Contact).options(*LOAD)
    if args.get("q"):
        stmt = stmt.where(contains(Contact.last_name, args["q"])
                          | contains(Contact.first_name, args["q"]))
    if args.get("company_id"):
        stmt = stmt.where(exists().where(CompanyContact.contact_id == Contact.id,
                                         CompanyContact.company_id == args["company_id"]))
    stmt = owner_filter(stmt, Contact, args.get("owner"), user)
    return paginate(session, stmt, [Contact.last_name, Contact.id],
                    limit=args["limit"], cursor=args["cursor"])


def get_contact(session: Session, user: User, contact_id: uuid.UUID) -> Contact:
    """Return a live contact."""
    return records.get_live(session, Contact, contact_id, ONE)


def create_contact(session: Session, user: User, data: dict) -> tuple[Contact, bool]:
    """Create a contact owned by its creator unless told otherwise."""
    data.setdefault("owner_id", user.id)
    contact, created = records.create(session, Contact, data, user, _apply)
    if created:
        record_notices.record_created(session, user, contact, "contact")
    return contact, created


def update_contact(session: Session, user: User, contact_id: uuid.UUID, data: dict,
                   version: int) -> Contact:
    """Edit a contact against the version the user saw."""
    contact = records.get_live(session, Contact, contact_id)
    records.check_handover(user, contact, data)
    record_notices.watch_owner(session, user, contact, "contact")
    alerts_touched(session, contact)
    return records.update(session, contact, data, version, user, _apply)


def delete_contact(session: Session, user: User, contact_id: uuid.UUID) -> None:
    """Delete a contact; its past exchanges stay on the timelines."""
    contact = records.get_live(session, Contact, contact_id)
    if not can_delete(user, contact.owner_id):
        raise Forbidden("Only its owner or a manager may delete this contact.")
    records.soft_delete(session, contact)
    alerts_touched(session, contact)
