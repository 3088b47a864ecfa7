"""/api/exchange-kinds and /api/outcomes: admin-configurable picklists."""

from __future__ import annotations

import uuid

import pytest

from app.services.setup import DEFAULT_KINDS, DEFAULT_OUTCOMES
from tests.factories import ExchangeFactory, assert_error

LISTS = ["exchange-kinds", "outcomes"]
NEW = {"key": "demo", "name_fr": "Démonstration", "name_en": "Demo", "abbreviation": "DEM",
       "font_color": "#112233", "background_color": "#aabbcc", "position": 3}


@pytest.fixture()
def admin(people, make_auth):
    return make_auth(people.admin)


def entry(auth, name: str, key: str) -> dict:
    items = auth.get(f"/api/{name}").get_json()["items"]
    return next(item for item in items if item["key"] == key)


@pytest.mark.parametrize(("name", "defaults"), [("exchange-kinds", DEFAULT_KINDS),
                                                ("outcomes", DEFAULT_OUTCOMES)])
def test_list_is_ordered_by_position(make_auth, people, name, defaults):
    response = make_auth(people.c).get(f"/api/{name}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["next_cursor"] is None
    assert [item["key"] for item in body["items"]] == [d[0] for d in defaults]
    assert [item["position"] for item in body["items"]] == list(range(len(defaults)))
    first = body["items"][0]
    assert {"key", "name_fr", "name_en", "abbreviation", "font_color", "background_color",
            "position", "active", "id", "version"} <= set(first)


def test_reordering_changes_the_list(admin):
    email = entry(admin, "exchange-kinds", "email")

    response = admin.patch(f"/api/exchange-kinds/{email['id']}",
                           json={"version": email["version"], "position": 0})

    assert response.status_code == 200
    keys = [item["key"] for item in admin.get("/api/exchange-kinds").get_json()["items"]]
    assert keys[:2] == ["call", "email"]  # equal positions fall back to the key


@pytest.mark.parametrize("name", LISTS)
def test_admin_creates_an_entry(admin, name):
    response = admin.post(f"/api/{name}", json=NEW)

    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in NEW} == NEW
    assert body["active"] is True and body["version"] == 1
    keys = [item["key"] for item in admin.get(f"/api/{name}").get_json()["items"]]
    assert keys[3] == "demo"  # position 3, before the default at 3 by key


@pytest.mark.parametrize("name", LISTS)
def test_admin_deactivates_an_entry(admin, name):
    created = admin.post(f"/api/{name}", json=NEW).get_json()

    response = admin.patch(f"/api/{name}/{created['id']}", json={"version": 1, "active": False})

    assert response.status_code == 200
    assert response.get_json()["active"] is False and response.get_json()["version"] == 2
    assert entry(admin, name, "demo")["active"] is False  # still listed, for old exchanges


@pytest.mark.parametrize("who", ["a", "manager"])
def test_others_may_not_configure(make_auth, people, admin, who, db_state):
    helper = make_auth(getattr(people, who))
    call = entry(admin, "exchange-kinds", "call")
    before = db_state()

    assert_error(helper.post("/api/exchange-kinds", json=NEW), 403, "forbidden")
    assert_error(helper.patch(f"/api/exchange-kinds/{call['id']}",
                              json={"version": 1, "active": False}), 403, "forbidden")
    assert db_state() == before


def test_inactive_kind_refused_for_new_exchanges_but_kept_by_old_ones(make_auth, people, admin):
    alice = make_auth(people.a)
    old = alice.post("/api/exchanges", json={"kind": "sms", "starts_at": "2026-01-05T10:00:00Z"})
    sms = entry(admin, "exchange-kinds", "sms")
    admin.patch(f"/api/exchange-kinds/{sms['id']}", json={"version": sms["version"],
                                                          "active": False})

    refused = alice.post("/api/exchanges", json={"kind": "sms",
                                                 "starts_at": "2026-01-06T10:00:00Z"})
    error = assert_error(refused, 422, "validation_error")
    assert set(error["fields"]) == {"kind"}

    exchange_id = old.get_json()["id"]
    assert alice.get(f"/api/exchanges/{exchange_id}").get_json()["kind"] == "sms"
    edited = alice.patch(f"/api/exchanges/{exchange_id}",
                         json={"version": 1, "subject": "Toujours un SMS", "kind": "sms"})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["kind"] == "sms"
    switched = alice.patch(f"/api/exchanges/{exchange_id}", json={"version": 2, "kind": "call"})
    assert switched.get_json()["kind"] == "call"
    assert_error(alice.patch(f"/api/exchanges/{exchange_id}",
                             json={"version": 3, "kind": "sms"}), 422, "validation_error")


def test_inactive_outcome_refused_for_new_exchanges(make_auth, people, admin):
    no_answer = entry(admin, "outcomes", "no_answer")
    admin.patch(f"/api/outcomes/{no_answer['id']}", json={"version": 1, "active": False})

    error = assert_error(make_auth(people.a).post("/api/exchanges", json={
        "kind": "call", "outcome": "no_answer", "starts_at": "2026-01-06T10:00:00Z"}), 422)

    assert set(error["fields"]) == {"outcome"}


def test_existing_exchange_shows_a_deactivated_kind(make_auth, people, admin):
    exchange = ExchangeFactory(created_by=people.a, kind="letter")
    letter = entry(admin, "exchange-kinds", "letter")
    admin.patch(f"/api/exchange-kinds/{letter['id']}", json={"version": 1, "active": False})

    body = make_auth(people.a).get(f"/api/exchanges/{exchange.id}").get_json()

    assert body["kind"] == "letter"


def test_bad_colour_is_422(admin, db_state):
    before = db_state()
    call = entry(admin, "exchange-kinds", "call")

    for colour in ("red", "#12345", "#1234567", "#gggggg", "123456", "", None, 0x123456):
        for field in ("font_color", "background_color"):
            error = assert_error(admin.post("/api/exchange-kinds", json={**NEW, field: colour}),
                                 422)
            assert set(error["fields"]) == {field}, colour
            error = assert_error(admin.patch(f"/api/exchange-kinds/{call['id']}",
                                             json={"version": 1, field: colour}), 422)
            assert set(error["fields"]) == {field}, colour
    assert db_state() == before


def test_key_cannot_change(admin):
    call = entry(admin, "exchange-kinds", "call")

    error = assert_error(admin.patch(f"/api/exchange-kinds/{call['id']}",
                                     json={"version": 1, "key": "phone"}), 422, "validation_error")

    assert set(error["fields"]) == {"key"}
    assert entry(admin, "exchange-kinds", "call")["version"] == 1
    same = admin.patch(f"/api/exchange-kinds/{call['id']}",
                       json={"version": 1, "key": "call", "name_en": "Phone call"})
    assert same.status_code == 200 and same.get_json()["name_en"] == "Phone call"


def test_new_key_must_be_free_and_well_formed(admin):
    for key in ("call", "Call", "1call", "with space", "é", "x" * 41, "", None):
        error = assert_error(admin.post("/api/exchange-kinds", json={**NEW, "key": key}), 422)
        assert set(error["fields"]) == {"key"}, key


def test_replay_of_a_new_entry(admin):
    payload = {**NEW, "id": str(uuid.uuid4())}

    first = admin.post("/api/outcomes", json=payload)
    again = admin.post("/api/outcomes", json=payload)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert_error(admin.post("/api/outcomes", json={**payload, "name_en": "Other"}), 409,
                 "id_conflict")


def test_stale_version_is_409(admin):
    call = entry(admin, "exchange-kinds", "call")
    admin.patch(f"/api/exchange-kinds/{call['id']}", json={"version": 1, "abbreviation": "TEL"})

    response = admin.patch(f"/api/exchange-kinds/{call['id']}",
                           json={"version": 1, "abbreviation": "APL"})

    assert_error(response, 409, "version_conflict")
    assert response.get_json()["current"]["abbreviation"] == "TEL"


def test_unknown_entry_and_unknown_list_are_404(admin):
    assert_error(admin.patch(f"/api/outcomes/{uuid.uuid4()}", json={"version": 1}), 404,
                 "not_found")
    # an outcome's id is not an exchange kind
    interested = entry(admin, "outcomes", "interested")
    assert_error(admin.patch(f"/api/exchange-kinds/{interested['id']}", json={"version": 1}),
                 404, "not_found")
    assert_error(admin.get("/api/picklists"), 404, "not_found")
    assert_error(admin.post("/api/statuses", json=NEW), 404, "not_found")
