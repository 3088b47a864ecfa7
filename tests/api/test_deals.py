"""/api/deals: CRUD, stage probabilities, contacts with roles, versions, filters."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.models import Deal, DealContact
from tests.factories import CompanyFactory, ContactFactory, DealFactory, assert_error

NEW_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


@pytest.fixture()
def company(app):
    return CompanyFactory(name="Dupont SARL")


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def new_deal(auth, company, **fields) -> dict:
    response = auth.post("/api/deals", json={"name": "Affaire", "company_id": str(company.id),
                                             **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_returns_201_with_defaults(alice, company, people):
    response = alice.post("/api/deals", json={
        "name": "Photocopieurs 2027", "company_id": str(company.id), "amount": "12500.50",
        "recurring_amount": 300, "recurring_months": 36, "expected_close_date": "2027-03-31"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["stage"] == "prospecting" and body["probability"] == 10
    assert body["currency"] == "EUR"
    assert body["amount"] == "12500.50" and body["recurring_amount"] == "300.00"
    assert body["recurring_months"] == 36
    assert body["expected_close_date"] == "2027-03-31"
    assert body["company_id"] == str(company.id) and body["company_name"] == "Dupont SARL"
    assert body["owner_id"] == str(people.a.id)
    assert body["contacts"] == [] and body["version"] == 1
    assert alice.get(f"/api/deals/{body['id']}").get_json() == body


@pytest.mark.parametrize(("stage", "probability"), [
    ("prospecting", 10), ("qualification", 20), ("proposal", 50), ("negotiation", 80),
    ("won", 100), ("lost", 0)])
def test_each_stage_has_its_default_probability(alice, company, stage, probability):
    assert new_deal(alice, company, stage=stage)["probability"] == probability


def test_explicit_probability_is_kept(alice, company):
    deal = new_deal(alice, company, stage="proposal", probability=35)
    assert deal["probability"] == 35

    renamed = alice.patch(f"/api/deals/{deal['id']}",
                          json={"version": 1, "name": "Renommée"}).get_json()

    assert renamed["probability"] == 35  # an edit that keeps the stage keeps the probability


def test_stage_change_resets_probability_unless_given(alice, company):
    deal = new_deal(alice, company, stage="proposal", probability=35)

    moved = alice.patch(f"/api/deals/{deal['id']}", json={"version": 1, "stage": "negotiation"})
    assert moved.status_code == 200
    assert moved.get_json()["probability"] == 80
    assert moved.get_json()["version"] == 2

    given = alice.patch(f"/api/deals/{deal['id']}",
                        json={"version": 2, "stage": "won", "probability": 95}).get_json()
    assert (given["stage"], given["probability"], given["version"]) == ("won", 95, 3)

    same_stage = alice.patch(f"/api/deals/{deal['id']}",
                             json={"version": 3, "stage": "won", "notes": "signée"}).get_json()
    assert same_stage["probability"] == 95


def test_deal_needs_a_live_company(alice, company, db):
    for payload in ({"name": "Sans société"},
                    {"name": "Inconnue", "company_id": str(uuid.uuid4())}):
        error = assert_error(alice.post("/api/deals", json=payload), 422, "validation_error")
        assert set(error["fields"]) == {"company_id"}
    assert count(db, Deal) == 0


def test_bad_stage_probability_and_currency_are_422(alice, company, db):
    for field, value in [("stage", "signed"), ("probability", 101), ("probability", -1),
                         ("currency", "euro"), ("amount", "-5"), ("recurring_months", 0)]:
        error = assert_error(alice.post("/api/deals", json={
            "name": "X", "company_id": str(company.id), field: value}), 422)
        assert set(error["fields"]) == {field}
    assert count(db, Deal) == 0


def test_contacts_with_roles(alice, company, db):
    helene = ContactFactory(first_name="Hélène", last_name="Durand")
    paul = ContactFactory(first_name="Paul", last_name="Petit")
    deal = new_deal(alice, company, contacts=[{"contact_id": str(helene.id), "role": "Décideuse"}])
    assert deal["contacts"] == [
        {"contact_id": str(helene.id), "name": "Hélène Durand", "role": "Décideuse"}]

    body = alice.patch(f"/api/deals/{deal['id']}", json={
        "version": 1, "contacts": [{"contact_id": str(paul.id), "role": "Technique"}]}).get_json()

    assert body["contacts"] == [
        {"contact_id": str(paul.id), "name": "Paul Petit", "role": "Technique"}]
    assert body["version"] == 2

    body = alice.patch(f"/api/deals/{deal['id']}", json={
        "version": 2, "contacts": [{"contact_id": str(paul.id), "role": "Acheteur"}]}).get_json()

    assert body["contacts"][0]["role"] == "Acheteur"
    assert body["version"] == 3  # a new role alone is an edit too
    assert count(db, DealContact) == 1  # the link was updated in place, the old one removed


def test_replay_and_id_conflict(alice, company, db):
    payload = {"id": NEW_ID, "name": "Rejouée", "company_id": str(company.id),
               "amount": "1000.00", "expected_close_date": "2027-01-15"}
    first = alice.post("/api/deals", json=payload)
    again = alice.post("/api/deals", json=payload)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert count(db, Deal) == 1

    response = alice.post("/api/deals", json={**payload, "amount": "2000.00"})
    assert_error(response, 409, "id_conflict")
    assert response.get_json()["current"]["amount"] == "1000.00"
    assert count(db, Deal) == 1


def test_stale_version_and_missing_version(alice, company):
    deal = new_deal(alice, company)
    current = alice.patch(f"/api/deals/{deal['id']}", json={"version": 1, "stage": "won"})

    stale = alice.patch(f"/api/deals/{deal['id']}", json={"version": 1, "stage": "lost"})

    assert_error(stale, 409, "version_conflict")
    assert stale.get_json()["current"] == current.get_json()
    error = assert_error(alice.patch(f"/api/deals/{deal['id']}", json={"stage": "lost"}), 422)
    assert set(error["fields"]) == {"version"}
    assert alice.get(f"/api/deals/{deal['id']}").get_json()["stage"] == "won"


def test_delete_then_404_and_absent_from_lists_and_search(alice, company, people, db):
    gone = DealFactory(name="Quasar perdue", company=company, owner=people.a)
    kept = DealFactory(name="Quasar gagnée", company=company, owner=people.a)

    assert alice.delete(f"/api/deals/{gone.id}").status_code == 204

    assert_error(alice.get(f"/api/deals/{gone.id}"), 404, "not_found")
    assert [d["id"] for d in alice.get("/api/deals").get_json()["items"]] == [str(kept.id)]
    found = alice.get("/api/search?q=quasar").get_json()["items"]
    assert [i["id"] for i in found] == [str(kept.id)]
    assert count(db, Deal) == 2  # a tombstone stays for sync


def test_delete_permissions(make_auth, people, company):
    deal = DealFactory(company=company, owner=people.b)

    assert_error(make_auth(people.a).delete(f"/api/deals/{deal.id}"), 403, "forbidden")
    assert make_auth(people.admin).delete(f"/api/deals/{deal.id}").status_code == 204


def test_unknown_and_malformed_ids(alice):
    assert_error(alice.get(f"/api/deals/{uuid.uuid4()}"), 404, "not_found")
    assert_error(alice.delete(f"/api/deals/{uuid.uuid4()}"), 404, "not_found")
    assert_error(alice.patch("/api/deals/42", json={"version": 1}), 404, "not_found")


def test_list_filters(alice, people, company):
    other = CompanyFactory(name="Martin")
    DealFactory(name="Copieurs", company=company, stage="won", owner=people.a)
    DealFactory(name="Copieurs bis", company=other, stage="proposal", owner=people.b)
    DealFactory(name="Serveurs", company=company, stage="proposal", owner=people.b)

    def names(query: str) -> list[str]:
        response = alice.get(f"/api/deals?{query}")
        assert response.status_code == 200, response.get_json()
        return [d["name"] for d in response.get_json()["items"]]

    assert names("") == ["Copieurs", "Copieurs bis", "Serveurs"]
    assert names("q=copieurs") == ["Copieurs", "Copieurs bis"]
    assert names("owner=me") == ["Copieurs"]
    assert names(f"company_id={company.id}") == ["Copieurs", "Serveurs"]
    assert names("stage=proposal") == ["Copieurs bis", "Serveurs"]
    assert names(f"stage=proposal&company_id={company.id}") == ["Serveurs"]
    assert_error(alice.get("/api/deals?stage=signed"), 422, "validation_error")


def test_list_pagination_walks_every_deal_once(alice, company):
    made = {str(d.id) for d in DealFactory.create_batch(7, company=company)}
    seen, cursor = [], None
    while True:
        url = "/api/deals?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = alice.get(url).get_json()
        seen += [d["id"] for d in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
