"""No write endpoint lets a client set what the server owns: ids of others, authors, versions,
change sequences, timestamps, tombstones, roles. Such fields are refused by name (422 in the
error shape) and nothing is stored; a PATCH's `id` is ignored."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Alert, User, utcnow
from app.services.alerts.engine import sweep
from tests.factories import CompanyFactory, DealFactory, assert_error
from tests.push_peer import FakeDevice

NOBODY = "0f1e2d3c-4b5a-4697-8877-665544332211"
LONG_AGO = "2001-01-01T00:00:00Z"
# What the server decides for every record; none of it is a client's to send.
SERVER_OWNED = {"version": 99, "change_seq": 123456, "created_at": LONG_AGO,
                "updated_at": LONG_AGO, "deleted_at": LONG_AGO, "created_by": NOBODY,
                "created_by_id": NOBODY, "user_id": NOBODY, "role": "admin", "active": False,
                "is_active": False, "password_hash": "x"}


@pytest.fixture()
def company(people):
    return CompanyFactory(owner=people.a, name="Boulangerie Martin")


def bodies(company) -> dict[str, tuple[str, dict, dict]]:
    """Per resource: its URL, a valid create body, and the read-only fields its JSON shows."""
    return {
        "company": ("/api/companies", {"name": "Fromagerie"}, {"owner_name": "x"}),
        "contact": ("/api/contacts", {"last_name": "Durand"},
                    {"full_name": "x", "owner_name": "x"}),
        "deal": ("/api/deals", {"name": "Four", "company_id": str(company.id)},
                 {"company_name": "x", "owner_name": "x"}),
        "exchange": ("/api/exchanges", {"kind": "call", "starts_at": "2026-11-24T09:00:00Z"},
                     {"company_name": "x", "contact_name": "x", "created_by_name": "x"}),
        "task": ("/api/tasks", {"title": "Rappeler"}, {"done_at": LONG_AGO}),
    }


RESOURCES = ("company", "contact", "deal", "exchange", "task")


@pytest.mark.parametrize("entity", RESOURCES)
def test_a_create_naming_server_owned_fields_is_refused(alice, company, db_state, entity):
    url, body, shown = bodies(company)[entity]
    before = db_state()

    response = alice.post(url, json={**body, **SERVER_OWNED, **shown})

    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {name: ["Unknown field."] for name in {**SERVER_OWNED, **shown}}
    assert db_state() == before


@pytest.mark.parametrize("entity", RESOURCES)
def test_an_edit_naming_server_owned_fields_is_refused(alice, company, db_state, entity):
    url, body, shown = bodies(company)[entity]
    record = alice.post(url, json=body).get_json()
    before, state = alice.get(f"{url}/{record['id']}").get_json(), db_state()
    protected = {k: v for k, v in SERVER_OWNED.items() if k != "version"}  # PATCH's own

    response = alice.patch(f"{url}/{record['id']}",
                           json={"version": record["version"], **protected, **shown})

    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {name: ["Unknown field."] for name in {**protected, **shown}}
    assert alice.get(f"{url}/{record['id']}").get_json() == before
    assert db_state() == state


@pytest.mark.parametrize("entity", RESOURCES)
def test_an_edit_cannot_move_a_record_to_another_id(alice, company, db_state, entity):
    url, body, _shown = bodies(company)[entity]
    record = alice.post(url, json=body).get_json()
    state = db_state()

    response = alice.patch(f"{url}/{record['id']}",
                           json={"version": record["version"], "id": NOBODY})

    assert response.status_code == 200 and response.get_json()["id"] == record["id"]
    assert alice.get(f"{url}/{record['id']}").status_code == 200
    assert_error(alice.get(f"{url}/{NOBODY}"), 404, "not_found")
    assert {k: v for k, v in db_state().items() if k != "change_counter.value"} == {
        k: v for k, v in state.items() if k != "change_counter.value"}


@pytest.mark.parametrize("entity", RESOURCES)
def test_the_outbox_cannot_set_them_either(alice, company, db_state, entity):
    url, body, shown = bodies(company)[entity]
    record = alice.post(url, json=body).get_json()
    before, state = alice.get(f"{url}/{record['id']}").get_json(), db_state()
    protected = {k: v for k, v in SERVER_OWNED.items() if k != "version"}
    mutations = [
        {"seq": 1, "entity": entity, "op": "create", "id": str(uuid.uuid4()),
         "data": {**body, **protected, **shown}},
        {"seq": 2, "entity": entity, "op": "update", "id": record["id"],
         "base_version": record["version"], "data": {**protected, **shown}},
    ]

    response = alice.post("/api/sync/push", json={"client_id": str(uuid.uuid4()),
                                                  "mutations": mutations})

    assert response.status_code == 200
    for result in response.get_json()["results"]:
        assert result["status"] == "rejected"
        assert set(result["error"]["fields"]) == {*protected, *shown}
    assert alice.get(f"{url}/{record['id']}").get_json() == before
    after = db_state()
    changed = {k for k in after if after[k] != state[k]}
    assert changed <= {"sync_clients"}  # the device's last seq, nothing else


@pytest.mark.parametrize("name", ["exchange-kinds", "outcomes"])
def test_picklists_refuse_server_owned_fields(make_auth, people, db_state, name):
    admin = make_auth(people.admin)
    entry = {"key": "salon", "name_fr": "Salon", "name_en": "Trade fair", "abbreviation": "SAL"}
    owned = {k: v for k, v in SERVER_OWNED.items() if k != "active"}  # an entry's own switch
    before = db_state()

    error = assert_error(admin.post(f"/api/{name}", json={**entry, **owned}), 422)

    assert set(error["fields"]) == set(owned)
    assert db_state() == before
    created = admin.post(f"/api/{name}", json=entry).get_json()
    protected = {k: v for k, v in owned.items() if k != "version"}
    error = assert_error(admin.patch(f"/api/{name}/{created['id']}",
                                     json={"version": created["version"], **protected}), 422)
    assert set(error["fields"]) == set(protected)


def test_a_follow_names_only_what_its_owner_chooses(alice, company, db_state):
    before = db_state()
    body = {"following": True, "record_type": "deal", "record_id": NOBODY, "reason": "owner",
            "title": "x", "created_at": LONG_AGO, "user_id": NOBODY}

    error = assert_error(alice.put(f"/api/follows/company/{company.id}", json=body), 422)

    assert set(error["fields"]) == {"record_type", "record_id", "reason", "title", "created_at",
                                    "user_id"}
    assert db_state() == before


def test_an_alert_rule_takes_only_its_switch_and_thresholds(make_auth, people, db_state):
    admin = make_auth(people.admin)
    before = db_state()
    body = {"enabled": True, "key": "deal_neglected", "name": "x", "defaults": {},
            "record_types": ["company"], "remedies": ["reassign"]}

    error = assert_error(admin.put("/api/alert-rules/client_neglected", json=body), 422)

    assert set(error["fields"]) == {"key", "name", "defaults", "record_types", "remedies"}
    assert db_state() == before


def test_an_alert_is_not_reassigned_through_its_actions_or_the_outbox(alice, people, db,
                                                                      db_state):
    deal = DealFactory(owner=people.a, company=CompanyFactory(owner=people.a),
                       created_at=utcnow() - timedelta(days=60))  # neglected: alerted
    sweep(db.session)
    db.session.commit()
    alert = db.session.scalar(select(Alert).where(Alert.record_id == deal.id))
    before = db_state()

    snooze = alice.post(f"/api/alerts/{alert.id}/snooze",
                        json={"days": 3, "user_id": NOBODY, "state": "dismissed"})
    pushed = alice.post("/api/sync/push", json={"client_id": str(uuid.uuid4()), "mutations": [
        {"seq": 1, "entity": "alert", "op": "update", "id": str(alert.id),
         "base_version": alert.version,
         "data": {"state": "acknowledged", "user_id": NOBODY, "rule": "x", "record_id": NOBODY}}]})

    assert set(assert_error(snooze, 422)["fields"]) == {"user_id", "state"}
    result = pushed.get_json()["results"][0]
    assert result["status"] == "rejected"
    assert set(result["error"]["fields"]) == {"user_id", "rule", "record_id"}
    after = db_state()
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= {"sync_clients"}
    db.session.refresh(alert)
    assert alert.user_id == people.a.id and alert.state == "open"


def test_push_devices_and_preferences_belong_to_the_caller(alice, db_state):
    before = db_state()
    device = FakeDevice().subscription_info("https://push.example.org/send/1")
    owned = {"id": NOBODY, "user_id": NOBODY, "created_at": LONG_AGO, "last_used_at": LONG_AGO,
             "failures": 0, "endpoint_origin": "https://x"}

    error = assert_error(alice.post("/api/push/subscriptions", json={**device, **owned}), 422)
    assert set(error["fields"]) == set(owned)
    error = assert_error(alice.put("/api/push/preferences", json={
        "kinds": {}, "timezone": "Europe/Paris", "user_id": NOBODY}), 422)
    assert set(error["fields"]) == {"user_id"}
    assert db_state() == before


def test_an_upload_cannot_name_its_author_size_or_hash(alice, company, db_state):
    before = db_state()
    form = {"entity": "company", "entity_id": str(company.id), "created_by": NOBODY,
            "sha256": "0" * 64, "size": "1", "filename": "x.exe", "content_type": "text/html",
            "deleted_at": LONG_AGO, "file": (io.BytesIO(b"%PDF-1.4 devis"), "devis.pdf")}

    response = alice.post("/api/attachments", data=form, content_type="multipart/form-data")

    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"created_by", "sha256", "size", "filename", "content_type",
                                    "deleted_at"}
    assert db_state() == before


def test_login_sets_nothing_about_the_account(client, people, db):
    response = client.post("/api/auth/login", json={
        "email": "alice@example.fr", "password": "correct-horse-battery", "role": "admin",
        "active": True, "user_id": str(people.admin.id)})

    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"role", "active", "user_id"}
    assert_error(client.get("/api/auth/me"), 401)
    assert db.session.get(User, people.a.id).role == "sales"


def test_no_endpoint_writes_accounts(alice, people, db):
    for method, url in (("POST", "/api/users"), ("PATCH", f"/api/users/{people.a.id}"),
                        ("PUT", f"/api/users/{people.a.id}"), ("PATCH", "/api/auth/me"),
                        ("PUT", "/api/auth/me")):
        response = alice._send(method, url, json={"role": "admin", "active": True})
        assert response.status_code in (404, 405), (method, url)
        assert_error(response, response.status_code)
    assert db.session.get(User, people.a.id).role == "sales"
