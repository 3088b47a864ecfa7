"""/api/contacts: CRUD, company links with roles, idempotent create, versions, filters."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.models import CompanyContact, Contact, utcnow
from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    assert_error,
)

NEW_ID = "5d1f0a2b-8c3e-4f6a-9b7d-2e4c6a8b0d13"


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_with_company_links_and_roles(alice, people):
    dupont = CompanyFactory(name="Dupont SARL")
    martin = CompanyFactory(name="Martin SA")

    response = alice.post("/api/contacts", json={
        "first_name": "Hélène", "last_name": "Durand", "job_title": "Acheteuse",
        "email": "helene.durand@dupont.fr", "mobile": "06 12 34 56 78",
        "companies": [{"company_id": str(dupont.id), "role": "Acheteuse"},
                      {"company_id": str(martin.id)}]})

    assert response.status_code == 201
    body = response.get_json()
    assert body["full_name"] == "Hélène Durand"
    assert body["owner_id"] == str(people.a.id)
    assert body["version"] == 1
    links = sorted(body["companies"], key=lambda link: link["name"])
    assert links == [
        {"company_id": str(dupont.id), "name": "Dupont SARL", "role": "Acheteuse"},
        {"company_id": str(martin.id), "name": "Martin SA", "role": None},
    ]
    assert alice.get(f"/api/contacts/{body['id']}").get_json() == body


def test_create_needs_a_last_name(alice, db):
    error = assert_error(alice.post("/api/contacts", json={"first_name": "Solo"}), 422,
                         "validation_error")

    assert set(error["fields"]) == {"last_name"}
    assert count(db, Contact) == 0


def test_link_to_a_missing_or_deleted_company_is_422(alice, db):
    gone = CompanyFactory(deleted_at=utcnow())

    for company_id in (str(uuid.uuid4()), str(gone.id)):
        error = assert_error(alice.post("/api/contacts", json={
            "last_name": "Orphelin", "companies": [{"company_id": company_id}]}), 422)
        assert set(error["fields"]) == {"companies"}
    assert count(db, Contact) == 0 and count(db, CompanyContact) == 0


def test_replay_with_same_id_and_payload_returns_the_record(alice, db):
    company = CompanyFactory()
    payload = {"id": NEW_ID, "last_name": "Rejoué",
               "companies": [{"company_id": str(company.id), "role": "Gérant"}]}
    first = alice.post("/api/contacts", json=payload)

    again = alice.post("/api/contacts", json=payload)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert count(db, Contact) == 1 and count(db, CompanyContact) == 1


def test_same_id_with_another_role_is_409(alice, db):
    company = CompanyFactory()
    alice.post("/api/contacts", json={
        "id": NEW_ID, "last_name": "Rôle", "companies": [{"company_id": str(company.id)}]})

    response = alice.post("/api/contacts", json={
        "id": NEW_ID, "last_name": "Rôle",
        "companies": [{"company_id": str(company.id), "role": "Autre"}]})

    assert_error(response, 409, "id_conflict")
    assert response.get_json()["current"]["companies"][0]["role"] is None
    assert count(db, Contact) == 1


def test_patch_replaces_links_and_bumps_version_once(alice):
    dupont, martin, leroy = (CompanyFactory(name=n) for n in ("Dupont", "Martin", "Leroy"))
    created = alice.post("/api/contacts", json={
        "last_name": "Liens", "companies": [{"company_id": str(dupont.id), "role": "A"},
                                            {"company_id": str(martin.id), "role": "B"}]})
    contact_id = created.get_json()["id"]

    response = alice.patch(f"/api/contacts/{contact_id}", json={
        "version": 1, "last_name": "Liens bis",
        "companies": [{"company_id": str(martin.id), "role": "B"},
                      {"company_id": str(leroy.id), "role": "C"}]})

    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == 2
    assert body["last_name"] == "Liens bis"
    assert sorted((link["name"], link["role"]) for link in body["companies"]) == [
        ("Leroy", "C"), ("Martin", "B")]


def test_changing_only_a_role_is_a_new_version(alice, db):
    company = CompanyFactory()
    contact_id = alice.post("/api/contacts", json={
        "last_name": "Rôle", "companies": [{"company_id": str(company.id), "role": "Stagiaire"}]
    }).get_json()["id"]
    seq_before = db.session.get(Contact, uuid.UUID(contact_id)).change_seq

    body = alice.patch(f"/api/contacts/{contact_id}", json={
        "version": 1, "companies": [{"company_id": str(company.id), "role": "Directrice"}]
    }).get_json()

    assert body["companies"][0]["role"] == "Directrice"
    assert body["version"] == 2
    db.session.rollback()
    assert db.session.get(Contact, uuid.UUID(contact_id)).change_seq > seq_before
    # a stale edit of the old role is now a conflict, not a silent overwrite
    assert_error(alice.patch(f"/api/contacts/{contact_id}", json={
        "version": 1, "companies": [{"company_id": str(company.id), "role": "X"}]}), 409,
        "version_conflict")


def test_stale_version_is_409_with_the_current_record(alice):
    contact_id = alice.post("/api/contacts", json={"last_name": "V1"}).get_json()["id"]
    current = alice.patch(f"/api/contacts/{contact_id}",
                          json={"version": 1, "last_name": "V2"}).get_json()

    response = alice.patch(f"/api/contacts/{contact_id}", json={"version": 1, "job_title": "X"})

    assert_error(response, 409, "version_conflict")
    assert response.get_json()["current"] == current


def test_patch_without_version_is_422(alice):
    contact_id = alice.post("/api/contacts", json={"last_name": "V1"}).get_json()["id"]

    error = assert_error(alice.patch(f"/api/contacts/{contact_id}", json={"last_name": "V2"}),
                         422, "validation_error")

    assert set(error["fields"]) == {"version"}


def test_delete_then_404_and_absent_from_lists_and_search(alice, people):
    contact = ContactFactory(first_name="Hélène", last_name="Supprimée", owner=people.a)
    kept = ContactFactory(first_name="Hélène", last_name="Gardée", owner=people.a)

    response = alice.delete(f"/api/contacts/{contact.id}")

    assert response.status_code == 204
    assert_error(alice.get(f"/api/contacts/{contact.id}"), 404, "not_found")
    assert [c["id"] for c in alice.get("/api/contacts").get_json()["items"]] == [str(kept.id)]
    found = alice.get("/api/search?q=helene").get_json()["items"]
    assert [i["id"] for i in found] == [str(kept.id)]


def test_delete_permissions(make_auth, people):
    contact = ContactFactory(owner=people.b)

    assert_error(make_auth(people.a).delete(f"/api/contacts/{contact.id}"), 403, "forbidden")
    assert make_auth(people.manager).delete(f"/api/contacts/{contact.id}").status_code == 204


def test_unknown_and_malformed_ids_are_404(alice):
    assert_error(alice.get(f"/api/contacts/{uuid.uuid4()}"), 404, "not_found")
    assert_error(alice.patch(f"/api/contacts/{uuid.uuid4()}", json={"version": 1}), 404)
    assert_error(alice.get("/api/contacts/0612345678"), 404, "not_found")
    assert_error(alice.delete("/api/contacts/0612345678"), 404, "not_found")


def test_list_filters_q_owner_and_company(alice, people):
    dupont = CompanyFactory(name="Dupont")
    durand = ContactFactory(first_name="Hélène", last_name="Durand", owner=people.a)
    ContactFactory(first_name="Paul", last_name="Durandal", owner=people.b)
    martin = ContactFactory(first_name="Luc", last_name="Martin", owner=people.b)
    CompanyContactFactory(company=dupont, contact=durand)
    CompanyContactFactory(company=dupont, contact=martin)

    def names(query: str) -> list[str]:
        response = alice.get(f"/api/contacts?{query}")
        assert response.status_code == 200, response.get_json()
        return [c["last_name"] for c in response.get_json()["items"]]

    assert names("q=durand") == ["Durand", "Durandal"]
    assert names("q=hél") == ["Durand"]  # first names too
    assert names("owner=me") == ["Durand"]
    assert names(f"company_id={dupont.id}") == ["Durand", "Martin"]
    assert names(f"company_id={dupont.id}&owner={people.b.id}") == ["Martin"]
    assert names(f"company_id={uuid.uuid4()}") == []
    assert_error(alice.get("/api/contacts?company_id=nope"), 422, "validation_error")


def test_list_pagination_by_last_name(alice):
    made = {str(ContactFactory(last_name="Même").id) for _ in range(5)}

    first = alice.get("/api/contacts?limit=2").get_json()
    second = alice.get(f"/api/contacts?limit=2&cursor={first['next_cursor']}").get_json()
    third = alice.get(f"/api/contacts?limit=2&cursor={second['next_cursor']}").get_json()

    ids = [c["id"] for page in (first, second, third) for c in page["items"]]
    assert third["next_cursor"] is None
    assert sorted(ids) == sorted(made)
    assert_error(alice.get("/api/contacts?cursor=%7B%7D"), 400, "bad_cursor")
