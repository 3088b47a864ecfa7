"""/api/{companies|contacts|deals}/{id}/timeline: exchanges about a record, newest first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
    assert_error,
)

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


@pytest.fixture()
def book(people):
    """Two companies, each with a contact and a deal, and exchanges on all of them."""
    from types import SimpleNamespace

    dupont, martin = CompanyFactory(name="Dupont"), CompanyFactory(name="Martin")
    helene, luc = ContactFactory(last_name="Durand"), ContactFactory(last_name="Leroy")
    CompanyContactFactory(company=dupont, contact=helene)
    CompanyContactFactory(company=martin, contact=luc)
    copieurs, serveurs = DealFactory(company=dupont), DealFactory(company=martin)
    hours = iter(range(100))

    def log(**fields):
        return ExchangeFactory(created_by=people.a, starts_at=T0 + timedelta(hours=next(hours)),
                               **fields)

    return SimpleNamespace(
        dupont=dupont, martin=martin, helene=helene, luc=luc, copieurs=copieurs,
        serveurs=serveurs,
        on_company=log(company=dupont, subject="Appel Dupont"),
        on_contact=log(contact=helene, subject="Appel Hélène"),
        on_deal=log(deals=[copieurs], subject="Devis copieurs"),
        on_all=log(company=dupont, contact=helene, deals=[copieurs], subject="Visite"),
        elsewhere=log(company=martin, contact=luc, deals=[serveurs], subject="Chez Martin"),
        nowhere=log(subject="Note libre"),
    )


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"items", "next_cursor"}
    return [item["id"] for item in body["items"]]


def expect(*exchanges) -> list[str]:
    return [str(e.id) for e in exchanges]


def test_company_timeline_includes_its_contacts_and_deals_newest_first(alice, book):
    got = ids(alice.get(f"/api/companies/{book.dupont.id}/timeline"))

    assert got == expect(book.on_all, book.on_deal, book.on_contact, book.on_company)


def test_company_timeline_leaves_out_other_companies(alice, book):
    got = ids(alice.get(f"/api/companies/{book.martin.id}/timeline"))

    assert got == expect(book.elsewhere)


def test_contact_timeline(alice, book):
    assert ids(alice.get(f"/api/contacts/{book.helene.id}/timeline")) == expect(
        book.on_all, book.on_contact)
    assert ids(alice.get(f"/api/contacts/{book.luc.id}/timeline")) == expect(book.elsewhere)


def test_deal_timeline(alice, book):
    assert ids(alice.get(f"/api/deals/{book.copieurs.id}/timeline")) == expect(
        book.on_all, book.on_deal)


def test_timeline_items_are_full_exchanges(alice, book):
    item = alice.get(f"/api/deals/{book.copieurs.id}/timeline").get_json()["items"][0]

    assert item["subject"] == "Visite"
    assert item["company_name"] == "Dupont" and item["deal_ids"] == [str(book.copieurs.id)]
    assert item == alice.get(f"/api/exchanges/{book.on_all.id}").get_json()


def test_deleted_exchanges_leave_the_timeline(alice, book):
    assert alice.delete(f"/api/exchanges/{book.on_deal.id}").status_code == 204

    got = ids(alice.get(f"/api/companies/{book.dupont.id}/timeline"))

    assert got == expect(book.on_all, book.on_contact, book.on_company)


def test_timeline_pagination(alice, book, people):
    made = [ExchangeFactory(created_by=people.a, company=book.dupont,
                            starts_at=T0 - timedelta(days=1)) for _ in range(5)]
    everything = {str(e.id) for e in made} | set(expect(
        book.on_all, book.on_deal, book.on_contact, book.on_company))
    seen, cursor = [], None
    while True:
        url = f"/api/companies/{book.dupont.id}/timeline?limit=3"
        body = alice.get(url + (f"&cursor={cursor}" if cursor else "")).get_json()
        assert body is not None and "items" in body, body
        assert len(body["items"]) <= 3
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        ExchangeFactory(created_by=people.a, company=book.dupont, starts_at=T0 + timedelta(days=9))

    assert len(seen) == len(set(seen)) == len(everything)
    assert set(seen) == everything
    starts = [alice.get(f"/api/exchanges/{i}").get_json()["starts_at"] for i in seen]
    assert starts == sorted(starts, reverse=True)


def test_timeline_limit_and_cursor_are_checked(alice, book):
    url = f"/api/contacts/{book.helene.id}/timeline"

    assert_error(alice.get(f"{url}?limit=201"), 422, "validation_error")
    assert_error(alice.get(f"{url}?cursor=xyz"), 400, "bad_cursor")
    first = alice.get(f"{url}?limit=1").get_json()
    assert len(first["items"]) == 1 and first["next_cursor"]


FACTORIES = {"companies": CompanyFactory, "contacts": ContactFactory, "deals": DealFactory}


@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_timeline_of_a_deleted_or_unknown_record_is_404(alice, people, kind):
    record = FACTORIES[kind](owner=people.a)
    # The record has an exchange on its timeline: still a 404 once the record is deleted.
    ExchangeFactory(created_by=people.a, company=record if kind == "companies" else None,
                    contact=record if kind == "contacts" else None,
                    deals=[record] if kind == "deals" else [])
    assert len(alice.get(f"/api/{kind}/{record.id}/timeline").get_json()["items"]) == 1
    assert alice.delete(f"/api/{kind}/{record.id}").status_code == 204

    assert_error(alice.get(f"/api/{kind}/{record.id}/timeline"), 404, "not_found")
    assert_error(alice.get(f"/api/{kind}/{uuid.uuid4()}/timeline"), 404, "not_found")


def test_timeline_needs_a_login(client, book):
    assert_error(client.get(f"/api/companies/{book.dupont.id}/timeline"), 401, "unauthorized")


def test_contact_of_two_companies_keeps_each_exchange_on_its_company(alice, book):
    CompanyContactFactory(company=book.martin, contact=book.helene)
    at_martin = ExchangeFactory(created_by=book.on_company.created_by, company=book.martin,
                                contact=book.helene, starts_at=T0 + timedelta(days=30))
    dupont = ids(alice.get(f"/api/companies/{book.dupont.id}/timeline"))
    martin = ids(alice.get(f"/api/companies/{book.martin.id}/timeline"))
    assert str(at_martin.id) not in dupont
    assert str(at_martin.id) in martin
    assert str(book.on_contact.id) in dupont  # no company given: it follows the contact
