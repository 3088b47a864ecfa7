"""/api/exchanges: logging calls and visits, idempotent create, versions, rights, filters."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Exchange, exchange_deals, exchange_participants, utcnow
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
    UserFactory,
    assert_error,
)

NEW_ID = "7f0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


def count(db, table) -> int:
    return db.session.scalar(select(func.count()).select_from(table))


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_create_a_visit_with_everything(alice, people):
    company = CompanyFactory(name="Dupont SARL")
    contact = ContactFactory(first_name="Hélène", last_name="Durand")
    deal = DealFactory(company=company)

    response = alice.post("/api/exchanges", json={
        "kind": "visit", "state": "done", "outcome": "call_back", "subject": "Relance devis",
        "details": "Rappeler jeudi.", "starts_at": "2026-11-24T10:12:00+01:00",
        "ends_at": "2026-11-24T09:40:00Z", "company_id": str(company.id),
        "contact_id": str(contact.id), "deal_ids": [str(deal.id)],
        "participant_ids": [str(people.b.id)],
        "location": {"lat": 45.764, "lng": 4.8357, "accuracy": 12.5}})

    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "visit" and body["outcome"] == "call_back"
    assert body["starts_at"] == "2026-11-24T09:12:00Z"  # stored and shown in UTC
    assert body["ends_at"] == "2026-11-24T09:40:00Z"
    assert body["company_id"] == str(company.id) and body["company_name"] == "Dupont SARL"
    assert body["contact_id"] == str(contact.id) and body["contact_name"] == "Hélène Durand"
    assert body["deal_ids"] == [str(deal.id)]
    assert body["participant_ids"] == [str(people.b.id)]
    assert body["location"] == {"lat": 45.764, "lng": 4.8357, "accuracy": 12.5}
    assert body["private"] is False
    assert body["created_by"] == str(people.a.id) and body["created_by_name"] == "Alice Sales"
    assert body["version"] == 1
    assert alice.get(f"/api/exchanges/{body['id']}").get_json() == body


def test_an_exchange_may_concern_no_client(alice):
    body = alice.post("/api/exchanges", json={"kind": "note", "starts_at": iso(T0)}).get_json()

    assert body["state"] == "done"
    assert (body["company_id"], body["contact_id"], body["deal_ids"]) == (None, None, [])
    assert body["location"] is None


def test_kind_and_outcome_must_be_known(alice, db):
    for payload, field in [({"kind": "fax"}, "kind"), ({"outcome": "maybe"}, "outcome"),
                           ({"kind": "Not A Key"}, "kind")]:
        error = assert_error(alice.post("/api/exchanges", json={
            "kind": "call", "starts_at": iso(T0), **payload}), 422, "validation_error")
        assert set(error["fields"]) == {field}
    assert count(db, Exchange) == 0


def test_ends_at_before_starts_at_is_422(alice, db):
    error = assert_error(alice.post("/api/exchanges", json={
        "kind": "call", "starts_at": iso(T0), "ends_at": iso(T0 - timedelta(minutes=1))}), 422)

    assert set(error["fields"]) == {"ends_at"}
    assert count(db, Exchange) == 0
    same = alice.post("/api/exchanges", json={"kind": "call", "starts_at": iso(T0),
                                              "ends_at": iso(T0)})
    assert same.status_code == 201


def test_patch_cannot_put_the_end_before_the_stored_start(alice):
    created = alice.post("/api/exchanges", json={
        "kind": "call", "starts_at": iso(T0), "ends_at": iso(T0 + timedelta(minutes=7))}
    ).get_json()

    for change in ({"ends_at": iso(T0 - timedelta(hours=1))},
                   {"starts_at": iso(T0 + timedelta(hours=1))}):
        response = alice.patch(f"/api/exchanges/{created['id']}", json={"version": 1, **change})
        error = assert_error(response, 422, "validation_error")
        assert set(error["fields"]) == {"ends_at"}

    assert alice.get(f"/api/exchanges/{created['id']}").get_json() == created


def test_references_must_be_live(alice, db, people):
    gone = DealFactory(deleted_at=utcnow())
    inactive = UserFactory(active=False)

    for field, value in [("company_id", str(uuid.uuid4())), ("contact_id", str(uuid.uuid4())),
                         ("deal_ids", [str(gone.id)]), ("participant_ids", [str(uuid.uuid4())]),
                         ("participant_ids", [str(inactive.id)])]:
        error = assert_error(alice.post("/api/exchanges", json={
            "kind": "call", "starts_at": iso(T0), field: value}), 422)
        assert set(error["fields"]) == {field}
    assert count(db, Exchange) == 0


def test_duplicate_ids_in_lists_are_harmless(alice, people, db):
    deal = DealFactory()

    response = alice.post("/api/exchanges", json={
        "kind": "call", "starts_at": iso(T0), "deal_ids": [str(deal.id)] * 2,
        "participant_ids": [str(people.b.id), str(people.b.id)]})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["deal_ids"] == [str(deal.id)]
    assert response.get_json()["participant_ids"] == [str(people.b.id)]
    assert count(db, exchange_deals) == 1 and count(db, exchange_participants) == 1


def test_replay_with_same_id_and_payload_returns_the_record(alice, people, db):
    deal = DealFactory()
    payload = {"id": NEW_ID, "kind": "visit", "starts_at": "2026-11-24T10:00:00+01:00",
               "subject": "Visite", "deal_ids": [str(deal.id)],
               "participant_ids": [str(people.b.id)], "location": {"lat": 45.0, "lng": 4.0}}
    first = alice.post("/api/exchanges", json=payload)

    again = alice.post("/api/exchanges", json=payload)

    assert first.status_code == 201
    assert again.status_code == 200, again.get_json()
    assert again.get_json() == first.get_json()
    assert count(db, Exchange) == 1 and count(db, exchange_deals) == 1


def test_same_id_with_another_payload_is_409(alice, db):
    alice.post("/api/exchanges", json={"id": NEW_ID, "kind": "call", "starts_at": iso(T0),
                                       "subject": "Premier"})

    response = alice.post("/api/exchanges", json={"id": NEW_ID, "kind": "call",
                                                  "starts_at": iso(T0), "subject": "Second"})

    assert_error(response, 409, "id_conflict")
    assert response.get_json()["current"]["subject"] == "Premier"
    assert count(db, Exchange) == 1


def test_patch_bumps_version_once_even_with_links(alice, people):
    deal = DealFactory()
    created = alice.post("/api/exchanges", json={"kind": "call", "starts_at": iso(T0)})
    exchange_id = created.get_json()["id"]

    response = alice.patch(f"/api/exchanges/{exchange_id}", json={
        "version": 1, "subject": "Compte rendu", "outcome": "interested",
        "deal_ids": [str(deal.id)], "participant_ids": [str(people.b.id)],
        "location": {"lat": 43.3, "lng": 5.4}})

    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == 2
    assert body["subject"] == "Compte rendu" and body["outcome"] == "interested"
    assert body["deal_ids"] == [str(deal.id)] and body["participant_ids"] == [str(people.b.id)]
    assert body["location"] == {"lat": 43.3, "lng": 5.4, "accuracy": None}

    cleared = alice.patch(f"/api/exchanges/{exchange_id}", json={
        "version": 2, "location": None, "deal_ids": []}).get_json()
    assert (cleared["location"], cleared["deal_ids"], cleared["version"]) == (None, [], 3)


def test_stale_version_and_missing_version(alice):
    exchange_id = alice.post("/api/exchanges", json={"kind": "call", "starts_at": iso(T0)}
                             ).get_json()["id"]
    current = alice.patch(f"/api/exchanges/{exchange_id}", json={"version": 1, "subject": "A"})

    stale = alice.patch(f"/api/exchanges/{exchange_id}", json={"version": 1, "subject": "B"})

    assert_error(stale, 409, "version_conflict")
    assert stale.get_json()["current"] == current.get_json()
    error = assert_error(alice.patch(f"/api/exchanges/{exchange_id}", json={"subject": "C"}),
                         422, "validation_error")
    assert set(error["fields"]) == {"version"}


def test_only_the_author_or_an_admin_may_change_a_public_exchange(make_auth, people):
    exchange = ExchangeFactory(created_by=people.a, participants=[people.b])
    url = f"/api/exchanges/{exchange.id}"

    for user in (people.b, people.c, people.manager):
        helper = make_auth(user)
        assert helper.get(url).status_code == 200
        assert_error(helper.patch(url, json={"version": 1, "subject": "X"}), 403, "forbidden")
        assert_error(helper.delete(url), 403, "forbidden")

    admin = make_auth(people.admin)
    fixed = admin.patch(url, json={"version": 1, "subject": "Corrigé"})
    assert fixed.status_code == 200 and fixed.get_json()["subject"] == "Corrigé"
    assert admin.delete(url).status_code == 204
    assert_error(make_auth(people.a).get(url), 404, "not_found")


def test_delete_then_404_and_absent_from_lists(alice, people):
    kept = ExchangeFactory(created_by=people.a)
    gone = ExchangeFactory(created_by=people.a)

    assert alice.delete(f"/api/exchanges/{gone.id}").status_code == 204

    assert_error(alice.get(f"/api/exchanges/{gone.id}"), 404, "not_found")
    assert_error(alice.patch(f"/api/exchanges/{gone.id}", json={"version": 1}), 404)
    assert [e["id"] for e in alice.get("/api/exchanges").get_json()["items"]] == [str(kept.id)]


def test_unknown_and_malformed_ids(alice):
    assert_error(alice.get(f"/api/exchanges/{uuid.uuid4()}"), 404, "not_found")
    assert_error(alice.delete(f"/api/exchanges/{uuid.uuid4()}"), 404, "not_found")
    assert_error(alice.get("/api/exchanges/abc"), 404, "not_found")
    assert_error(alice.patch("/api/exchanges/abc", json={"version": 1}), 404, "not_found")


def test_list_is_newest_first_and_filters(alice, people):
    company = CompanyFactory()
    contact = ContactFactory()
    deal = DealFactory(company=company)
    hours = iter(range(100))

    def make(**fields):
        return ExchangeFactory(starts_at=T0 + timedelta(hours=next(hours)), **fields)

    call = make(created_by=people.a, kind="call", state="done", company=company)
    visit = make(created_by=people.b, kind="visit", state="planned", contact=contact)
    shared = make(created_by=people.b, kind="meeting", state="done", participants=[people.a],
                  deals=[deal])
    other = make(created_by=people.c, kind="call", state="cancelled")

    def ids(query: str) -> list[str]:
        response = alice.get(f"/api/exchanges?{query}")
        assert response.status_code == 200, response.get_json()
        return [e["id"] for e in response.get_json()["items"]]

    def expect(*exchanges) -> list[str]:
        return [str(e.id) for e in exchanges]

    assert ids("") == expect(other, shared, visit, call)
    assert ids("mine=true") == expect(shared, call)
    assert ids("state=done") == expect(shared, call)
    assert ids("kind=call") == expect(other, call)
    assert ids(f"company_id={company.id}") == expect(call)
    assert ids(f"contact_id={contact.id}") == expect(visit)
    assert ids(f"deal_id={deal.id}") == expect(shared)
    start, end = iso(T0 + timedelta(hours=1)), iso(T0 + timedelta(hours=3))
    assert ids(f"from={start}") == expect(other, shared, visit)
    assert ids(f"to={end}") == expect(shared, visit, call)  # `to` is exclusive
    assert ids(f"from={start}&to={end}&mine=1") == expect(shared)
    for bad in ("state=lost", "kind=Bad Kind", "from=yesterday", "mine=perhaps"):
        assert_error(alice.get(f"/api/exchanges?{bad}"), 422, "validation_error")


def test_pagination_walks_every_exchange_once_under_inserts(alice, people):
    made = [str(ExchangeFactory(created_by=people.a, starts_at=T0 + timedelta(hours=h)).id)
            for h in (0, 1, 1, 1, 2, 3, 4)]  # equal times: the id breaks the tie
    seen, cursor, page = [], None, 0
    while True:
        url = "/api/exchanges?limit=2" + (f"&cursor={cursor}" if cursor else "")
        response = alice.get(url)
        assert response.status_code == 200, response.get_json()
        seen += [e["id"] for e in response.get_json()["items"]]
        cursor = response.get_json()["next_cursor"]
        if cursor is None:
            break
        page += 1
        ExchangeFactory(created_by=people.a, starts_at=T0 + timedelta(days=page))  # newer
        ExchangeFactory(created_by=people.a, starts_at=T0 - timedelta(days=page))  # older

    assert len(seen) == len(set(seen))
    assert set(made) <= set(seen)


def test_bad_cursor_is_400(alice):
    for values in (["2026-11-24T09:00:00", str(uuid.UUID(int=1))],  # no offset
                   ["yesterday", str(uuid.UUID(int=1))],
                   [20261124, str(uuid.UUID(int=1))],
                   ["2026-11-24T09:00:00+00:00", "nope"]):
        cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
        assert_error(alice.get(f"/api/exchanges?cursor={cursor}"), 400, "bad_cursor")
