"""/api/companies: CRUD, idempotent create, versions, permissions, lists and pagination."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from sqlalchemy import func, select

from app.models import Company
from tests.factories import CompanyFactory, DealFactory, assert_error

NEW_ID = "0b7c6e1a-3f1e-4c55-9d1e-6d8b5f0e2a11"


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


def company_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Company))


# --- create -----------------------------------------------------------------------------


def test_create_returns_201_and_the_record(alice, people):
    response = alice.post("/api/companies", json={
        "name": "Dupont SARL", "status": "client", "city": "Lyon", "postal_code": "69003",
        "email": "contact@dupont.fr", "lat": 45.76, "lng": 4.85, "country": "FR"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Dupont SARL"
    assert body["status"] == "client"
    assert body["lat"] == 45.76 and body["lng"] == 4.85
    assert body["owner_id"] == str(people.a.id)  # the creator is in charge by default
    assert body["owner_name"] == "Alice Sales"
    assert body["version"] == 1
    assert body["created_at"].endswith("Z") and body["updated_at"].endswith("Z")
    uuid.UUID(body["id"])
    assert alice.get(f"/api/companies/{body['id']}").get_json() == body


def test_create_defaults_to_prospect(alice):
    body = alice.post("/api/companies", json={"name": "Nouvelle"}).get_json()

    assert body["status"] == "prospect"


def test_create_needs_a_name(alice, db):
    for payload in ({}, {"name": ""}, {"name": "   "}, {"name": None}):
        error = assert_error(alice.post("/api/companies", json=payload), 422, "validation_error")
        assert set(error["fields"]) == {"name"}
    assert company_count(db) == 0


def test_create_refuses_an_unknown_owner(alice, db):
    error = assert_error(alice.post("/api/companies", json={
        "name": "X", "owner_id": str(uuid.uuid4())}), 422, "validation_error")

    assert set(error["fields"]) == {"owner_id"}
    assert company_count(db) == 0


def test_replay_with_same_id_and_payload_returns_the_record(alice, db):
    payload = {"id": NEW_ID, "name": "Rejouée", "city": "Nantes"}
    first = alice.post("/api/companies", json=payload)

    again = alice.post("/api/companies", json=payload)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert again.get_json()["id"] == NEW_ID
    assert company_count(db) == 1


def test_same_id_with_another_payload_is_409(alice, db):
    alice.post("/api/companies", json={"id": NEW_ID, "name": "Première"})

    response = alice.post("/api/companies", json={"id": NEW_ID, "name": "Seconde"})

    assert_error(response, 409, "id_conflict")
    assert response.get_json()["current"]["name"] == "Première"
    assert company_count(db) == 1


def test_reusing_the_id_of_a_deleted_company_is_409(alice, db):
    alice.post("/api/companies", json={"id": NEW_ID, "name": "Éphémère"})
    alice.delete(f"/api/companies/{NEW_ID}")

    response = alice.post("/api/companies", json={"id": NEW_ID, "name": "Éphémère"})

    assert_error(response, 409, "id_conflict")
    assert "current" not in response.get_json()
    assert company_count(db) == 1


# --- update -----------------------------------------------------------------------------


def test_patch_with_version_bumps_it(alice):
    created = alice.post("/api/companies", json={"name": "Avant", "city": "Lyon"}).get_json()

    response = alice.patch(f"/api/companies/{created['id']}",
                           json={"version": 1, "name": "Après", "status": "client"})

    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == 2
    assert body["name"] == "Après" and body["status"] == "client"
    assert body["city"] == "Lyon"  # untouched fields stay
    assert body["updated_at"] >= created["updated_at"]
    assert alice.get(f"/api/companies/{created['id']}").get_json() == body


def test_patch_with_a_reference_bumps_the_version_once(alice, people):
    created = alice.post("/api/companies", json={"name": "Une fois"}).get_json()

    body = alice.patch(f"/api/companies/{created['id']}", json={
        "version": 1, "name": "Deux champs", "owner_id": str(people.b.id)}).get_json()

    assert body["version"] == 2
    assert body["owner_id"] == str(people.b.id)


def test_stale_version_is_409_with_the_current_record(alice):
    created = alice.post("/api/companies", json={"name": "V1"}).get_json()
    current = alice.patch(f"/api/companies/{created['id']}",
                          json={"version": 1, "name": "V2"}).get_json()

    response = alice.patch(f"/api/companies/{created['id']}", json={"version": 1, "name": "V2b"})

    assert_error(response, 409, "version_conflict")
    assert response.get_json()["current"] == current
    assert alice.get(f"/api/companies/{created['id']}").get_json()["name"] == "V2"


@pytest.mark.parametrize("version", [None, "1", True, 1.5])
def test_patch_without_an_integer_version_is_422(alice, version):
    created = alice.post("/api/companies", json={"name": "Sans version"}).get_json()
    body = {"name": "Changé"} if version is None else {"name": "Changé", "version": version}

    error = assert_error(alice.patch(f"/api/companies/{created['id']}", json=body), 422,
                         "validation_error")

    assert set(error["fields"]) == {"version"}
    assert alice.get(f"/api/companies/{created['id']}").get_json()["name"] == "Sans version"


def test_patch_cannot_set_read_only_fields(alice):
    created = alice.post("/api/companies", json={"name": "Lecture seule"}).get_json()

    error = assert_error(alice.patch(f"/api/companies/{created['id']}", json={
        "version": 1, "created_at": "2020-01-01T00:00:00Z", "owner_name": "X"}), 422)

    assert set(error["fields"]) == {"created_at", "owner_name"}


# --- delete -----------------------------------------------------------------------------


def test_delete_then_get_is_404_and_absent_from_lists_and_search(alice):
    kept = alice.post("/api/companies", json={"name": "Zéphyr Gardée"}).get_json()
    gone = alice.post("/api/companies", json={"name": "Zéphyr Supprimée"}).get_json()

    response = alice.delete(f"/api/companies/{gone['id']}")

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(alice.get(f"/api/companies/{gone['id']}"), 404, "not_found")
    assert_error(alice.delete(f"/api/companies/{gone['id']}"), 404, "not_found")
    assert_error(alice.patch(f"/api/companies/{gone['id']}", json={"version": 1}), 404)
    listed = alice.get("/api/companies").get_json()["items"]
    assert [c["id"] for c in listed] == [kept["id"]]
    found = alice.get("/api/search?q=zephyr").get_json()["items"]
    assert [i["id"] for i in found] == [kept["id"]]


def test_sales_cannot_delete_a_company_owned_by_another(make_auth, people):
    company = CompanyFactory(owner=people.b)
    alice = make_auth(people.a)

    error = assert_error(alice.delete(f"/api/companies/{company.id}"), 403, "forbidden")

    assert "owner" in error["message"]
    assert alice.get(f"/api/companies/{company.id}").status_code == 200


def test_owner_and_manager_can_delete(make_auth, people):
    mine = CompanyFactory(owner=people.a)
    theirs = CompanyFactory(owner=people.b)

    assert make_auth(people.a).delete(f"/api/companies/{mine.id}").status_code == 204
    manager = make_auth(people.manager)
    assert manager.delete(f"/api/companies/{theirs.id}").status_code == 204
    assert_error(manager.get(f"/api/companies/{theirs.id}"), 404)


def test_company_with_live_deals_is_in_use(alice, people):
    company = CompanyFactory(owner=people.a)
    deal = DealFactory(company=company)

    response = alice.delete(f"/api/companies/{company.id}")

    assert_error(response, 409, "in_use")
    assert response.get_json()["current"]["id"] == str(company.id)
    assert alice.get(f"/api/companies/{company.id}").status_code == 200
    # once the deal is gone, the company can go too
    assert alice.delete(f"/api/deals/{deal.id}").status_code == 204
    assert alice.delete(f"/api/companies/{company.id}").status_code == 204


# --- not found --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_id_is_404_in_the_error_shape(alice, method):
    response = alice._send(method, f"/api/companies/{uuid.uuid4()}", json={"version": 1})

    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_non_uuid_id_is_a_json_404(alice, method):
    response = alice._send(method, "/api/companies/not-a-uuid", json={"version": 1})

    assert_error(response, 404, "not_found")
    assert_error(alice.get("/api/companies/123/timeline"), 404, "not_found")


def test_unknown_api_url_and_method_are_json(alice):
    assert_error(alice.get("/api/nowhere"), 404, "not_found")
    response = alice._send("PUT", "/api/companies", json={})
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


# --- lists ------------------------------------------------------------------------------


def test_list_shape_and_order(alice):
    for name in ("Charlie", "Alpha", "Bravo"):
        alice.post("/api/companies", json={"name": name})

    body = alice.get("/api/companies").get_json()

    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    assert [c["name"] for c in body["items"]] == ["Alpha", "Bravo", "Charlie"]
    assert body["items"][0]["version"] == 1 and "owner_name" in body["items"][0]


def test_limit_defaults_to_50_and_caps_at_200(alice, db):
    CompanyFactory.create_batch(205)

    default = alice.get("/api/companies").get_json()
    largest = alice.get("/api/companies?limit=200").get_json()

    assert len(default["items"]) == 50 and default["next_cursor"]
    assert len(largest["items"]) == 200 and largest["next_cursor"]
    for bad in ("201", "0", "-1", "abc", "1.5"):
        error = assert_error(alice.get(f"/api/companies?limit={bad}"), 422, "validation_error")
        assert set(error["fields"]) == {"limit"}


def walk(auth, url: str, limit: int, between_pages=None) -> list[str]:
    """Follow next_cursor to the end; call between_pages(n) after page n."""
    ids, cursor, pages = [], None, 0
    while True:
        sep = "&" if "?" in url else "?"
        page_url = f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = auth.get(page_url).get_json()
        assert len(body["items"]) <= limit
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids
        if between_pages:
            between_pages(pages)


def test_pagination_walks_every_row_once(alice):
    made = [str(c.id) for c in CompanyFactory.create_batch(11)]

    seen = walk(alice, "/api/companies", 3)

    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


def test_pagination_is_stable_under_inserts(alice):
    # Same names, so ordering falls back to the id: the cursor must hold both keys.
    made = [str(c.id) for c in CompanyFactory.create_batch(5, name="Homonyme")]
    made += [str(c.id) for c in CompanyFactory.create_batch(5)]

    def insert(_page):
        CompanyFactory(name="Aaa insérée avant")
        CompanyFactory(name="Homonyme")
        CompanyFactory(name="Zzz insérée après")

    seen = walk(alice, "/api/companies", 4, insert)

    assert len(seen) == len(set(seen)), "a row was sent twice"
    assert set(made) <= set(seen), "a row was skipped"


def test_bad_cursor_is_400(alice):
    def encoded(values) -> str:
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()

    for cursor in ("garbage!", "bm90IGpzb24", encoded({"a": 1}), encoded(["only one"]),
                   encoded([1, str(uuid.uuid4())]), encoded(["Name", "not-a-uuid"])):
        assert_error(alice.get(f"/api/companies?cursor={cursor}"), 400, "bad_cursor")


def test_filters_q_owner_status(alice, people):
    mine = CompanyFactory(name="Boulangerie Dupont", owner=people.a, status="client")
    CompanyFactory(name="Dupont Frères", owner=people.b, status="prospect")
    CompanyFactory(name="Martin et fils", owner=people.a, status="prospect")
    CompanyFactory(name="100%_pur", owner=people.b, status="suspect")

    def names(query: str) -> list[str]:
        response = alice.get(f"/api/companies?{query}")
        assert response.status_code == 200, response.get_json()
        return [c["name"] for c in response.get_json()["items"]]

    assert names("q=dupont") == ["Boulangerie Dupont", "Dupont Frères"]
    assert names("owner=me") == ["Boulangerie Dupont", "Martin et fils"]
    assert names(f"owner={people.b.id}") == ["100%_pur", "Dupont Frères"]
    assert names("status=client") == [mine.name]
    assert names("q=dupont&owner=me&status=client") == [mine.name]
    assert names("q=%25_") == ["100%_pur"]  # LIKE wildcards are literal
    assert_error(alice.get("/api/companies?status=friend"), 422, "validation_error")
    assert_error(alice.get("/api/companies?owner=someone"), 422, "validation_error")
