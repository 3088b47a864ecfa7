"""app.services.records: lookup, idempotent create, versioned edit, soft delete, change_seq."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app.models import ChangeCounter, Company, Contact, Deal, Exchange
from app.services import companies, contacts, deals, exchanges, records
from app.services.errors import Conflict, Invalid, NotFound
from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    UserFactory,
)


@pytest.fixture()
def user(app):
    return UserFactory()


def counter(db) -> int:
    return db.session.get(ChangeCounter, 1).value


def test_create_sets_version_1_and_a_change_seq(db, user):
    before = counter(db)

    company, created = companies.create_company(db.session, user, {"name": "Neuve"})
    db.session.commit()

    assert created is True
    assert company.version == 1
    # The company's seq, then its "created" event in the timeline.
    assert company.change_seq == before + 1 and counter(db) == before + 2
    assert company.owner_id == user.id


def test_every_write_bumps_version_and_change_seq(db, user):
    company, _ = companies.create_company(db.session, user, {"name": "V1"})
    db.session.commit()
    seqs = [company.change_seq]

    for version, name in enumerate(["V2", "V3", "V4"], start=1):
        records.update(db.session, company, {"name": name}, version, user, companies._apply)
        db.session.commit()
        assert company.version == version + 1
        seqs.append(company.change_seq)
    records.soft_delete(db.session, company)
    db.session.commit()
    seqs.append(company.change_seq)

    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert company.version == 5 and company.deleted_at is not None


def test_an_edit_with_lookups_bumps_the_version_once(db, user):
    other = UserFactory()
    company_a, company_b = CompanyFactory(), CompanyFactory()
    contact = ContactFactory()
    CompanyContactFactory(company=company_a, contact=contact)
    db.session.refresh(contact)

    contacts.update_contact(db.session, user, contact.id, {
        "last_name": "Nouveau", "owner_id": other.id,
        "company_links": [{"company_id": company_a.id, "role": "A"},
                          {"company_id": company_b.id, "role": None}]}, 1)
    db.session.commit()

    assert contact.version == 2
    assert sorted(link.company_id for link in contact.company_links) == sorted(
        [company_a.id, company_b.id])


def test_an_unchanged_edit_keeps_the_version(db, user):
    company = CompanyFactory(name="Même", city="Lyon")
    seq = company.change_seq

    records.update(db.session, company, {"name": "Même", "city": "Lyon"}, 1, user,
                   companies._apply)
    db.session.commit()

    assert (company.version, company.change_seq) == (1, seq)


def test_change_seq_is_unique_across_tables(db, user):
    company = CompanyFactory()
    contact = ContactFactory()
    deal = DealFactory(company=company)
    exchanges.create_exchange(db.session, user, {
        "kind": "call", "starts_at": datetime(2026, 1, 1, tzinfo=UTC), "deal_ids": [deal.id]})
    db.session.commit()
    deals.update_deal(db.session, user, deal.id, {"stage": "won"}, 1)
    contacts.update_contact(db.session, user, contact.id, {"job_title": "Gérante"}, 1)
    db.session.commit()

    rows = db.session.execute(text(
        "SELECT change_seq FROM companies UNION ALL SELECT change_seq FROM contacts "
        "UNION ALL SELECT change_seq FROM deals UNION ALL SELECT change_seq FROM exchanges "
        "UNION ALL SELECT change_seq FROM users UNION ALL SELECT change_seq FROM exchange_kinds "
        "UNION ALL SELECT change_seq FROM outcomes UNION ALL SELECT change_seq FROM tasks "
        "UNION ALL SELECT change_seq FROM alerts "
        "UNION ALL SELECT change_seq FROM record_events")).scalars().all()
    assert len(rows) == len(set(rows))
    assert max(rows) == counter(db)


def test_one_flush_reserves_one_number_per_row(db, user):
    before = counter(db)
    db.session.add_all([Company(name=f"Lot {i}") for i in range(3)])
    db.session.commit()

    seqs = sorted(c.change_seq for c in db.session.query(Company))
    assert seqs == [before + 1, before + 2, before + 3]


def test_replay_returns_the_existing_record(db, user):
    record_id = uuid.uuid4()
    first, created = companies.create_company(db.session, user, {"id": record_id, "name": "R"})
    db.session.commit()

    again, created_again = companies.create_company(db.session, user,
                                                    {"id": record_id, "name": "R"})

    assert (created, created_again) == (True, False)
    assert again is first and again.version == 1


def test_same_id_other_payload_is_a_conflict_with_the_current_record(db, user):
    record_id = uuid.uuid4()
    companies.create_company(db.session, user, {"id": record_id, "name": "R"})
    db.session.commit()

    with pytest.raises(Conflict) as info:
        companies.create_company(db.session, user, {"id": record_id, "name": "Autre"})

    assert info.value.code == "id_conflict"
    assert info.value.current.name == "R"


def test_stale_version_is_a_conflict(db, user):
    company = CompanyFactory(name="Stockée")

    with pytest.raises(Conflict) as info:
        records.update(db.session, company, {"name": "X"}, 7, user, companies._apply)

    assert info.value.code == "version_conflict"
    assert info.value.current is company and company.name == "Stockée"


def test_get_live_and_require_live(db):
    company = CompanyFactory()
    gone = CompanyFactory(deleted_at=datetime(2026, 1, 1, tzinfo=UTC))

    assert records.get_live(db.session, Company, company.id) is company
    for missing in (gone.id, uuid.uuid4()):
        with pytest.raises(NotFound):
            records.get_live(db.session, Company, missing)
        with pytest.raises(Invalid) as info:
            records.require_live(db.session, Company, missing, "company_id")
        assert info.value.fields == {"company_id": ["No such record."]}
    records.require_live(db.session, Company, None, "company_id")  # nothing to check


def test_require_user_refuses_inactive_and_unknown_users(db):
    inactive = UserFactory(active=False)

    for user_id in (inactive.id, uuid.uuid4()):
        with pytest.raises(Invalid) as info:
            records.require_user(db.session, user_id, "owner_id")
        assert set(info.value.fields) == {"owner_id"}


def test_same_payload(db):
    company = CompanyFactory(name="Dupont", city="Lyon", lat=45.0)
    contact = ContactFactory()
    CompanyContactFactory(company=company, contact=contact, role="Acheteuse")
    db.session.refresh(contact)

    assert records.same_payload(company, {"name": "Dupont", "city": "Lyon", "lat": 45.0})
    assert records.same_payload(company, {})
    assert not records.same_payload(company, {"name": "Dupont", "city": "Paris"})
    assert not records.same_payload(company, {"lat": None})
    links = [{"company_id": company.id, "role": "Acheteuse"}]
    assert records.same_payload(contact, {"company_links": links})
    assert not records.same_payload(contact, {"company_links": [{"company_id": company.id}]})
    assert not records.same_payload(contact, {"company_links": []})


def test_same_payload_ignores_list_order_and_compares_nested_values(db):
    user_a, user_b = UserFactory(), UserFactory()
    exchange = Exchange(kind="call", starts_at=datetime(2026, 1, 1, tzinfo=UTC),
                        created_by_id=user_a.id, participants=[user_a, user_b],
                        location_lat=45.0, location_lng=4.0)
    db.session.add(exchange)
    db.session.commit()

    assert records.same_payload(exchange, {"participant_ids": [user_b.id, user_a.id]})
    assert not records.same_payload(exchange, {"participant_ids": [user_a.id]})
    assert records.same_payload(exchange, {"location": {"lat": 45.0, "lng": 4.0,
                                                        "accuracy": None}})
    assert not records.same_payload(exchange, {"location": {"lat": 45.0, "lng": 5.0,
                                                            "accuracy": None}})


def test_contact_delete_keeps_a_tombstone(db, user):
    contact = ContactFactory(owner=user)

    contacts.delete_contact(db.session, user, contact.id)
    db.session.commit()

    assert db.session.get(Contact, contact.id).deleted_at is not None
    with pytest.raises(NotFound):
        contacts.get_contact(db.session, user, contact.id)


def test_deal_probability_rules(db, user):
    company = CompanyFactory()

    deal, _ = deals.create_deal(db.session, user, {"name": "D", "company_id": company.id,
                                                   "stage": "negotiation"})
    assert deal.probability == 80
    deals.update_deal(db.session, user, deal.id, {"probability": 65}, 1)
    deals.update_deal(db.session, user, deal.id, {"stage": "lost"}, 2)
    assert (deal.stage, deal.probability, deal.version) == ("lost", 0, 3)
    assert isinstance(db.session.get(Deal, deal.id), Deal)
