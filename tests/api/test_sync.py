"""/api/sync: pulling changes since a cursor, pushing an outbox exactly once (docs/sync.md)."""

from __future__ import annotations

import io
import random
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.models import (
    Attachment,
    ChangeCounter,
    Company,
    Contact,
    Deal,
    Exchange,
    ExchangeKind,
    Outcome,
    SyncClient,
    User,
    utcnow,
)
from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
    UserFactory,
    assert_error,
)

CLIENT = "5b0e6c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"
OTHER_CLIENT = "9c8d7e6f-5a4b-4c3d-9e2f-1a0b9c8d7e6f"
SECRET = "Négociation confidentielle Zanzibar"
MODELS = {"company": Company, "contact": Contact, "deal": Deal, "exchange": Exchange,
          "exchange_kind": ExchangeKind, "outcome": Outcome, "user": User,
          "attachment": Attachment}
ONE = {"company": "companies", "contact": "contacts", "deal": "deals",
       "exchange": "exchanges", "attachment": "attachments"}
LISTED = {"exchange_kind": "/api/exchange-kinds", "outcome": "/api/outcomes",
          "user": "/api/users"}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200)


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def recently(days: float = 3):
    return utcnow().replace(microsecond=0) - timedelta(days=days)


def position(cursor: str) -> int:
    """The change number a cursor ("<epoch>.<seq>[:initial]") stands at."""
    return int(cursor.removesuffix(":initial").rpartition(".")[2])


def pull(helper, since=0, limit=None) -> dict:
    url = f"/api/sync/changes?since={since}" + (f"&limit={limit}" if limit is not None else "")
    response = helper.get(url)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"changes", "cursor", "has_more"}
    return body


def pull_all(helper, since=0, limit=None) -> tuple[list[dict], str]:
    """Loop while has_more, as a device does; return every change and the last cursor."""
    changes: list[dict] = []
    for _ in range(1000):
        body = pull(helper, since, limit)
        changes += body["changes"]
        since = body["cursor"]
        if not body["has_more"]:
            return changes, since
    raise AssertionError("has_more never became false")


def by_key(changes: list[dict]) -> dict[tuple[str, str], dict]:
    return {(c["entity"], c["id"]): c for c in changes}


def resource(helper, entity: str, record_id: str) -> dict:
    """What the resource endpoint shows for this record."""
    if entity in ONE:
        response = helper.get(f"/api/{ONE[entity]}/{record_id}")
        assert response.status_code == 200, (entity, response.get_json())
        return response.get_json()
    items = [i for i in helper.get(LISTED[entity]).get_json()["items"] if i["id"] == record_id]
    assert len(items) == 1, (entity, record_id)
    return items[0]


def change_seq(db, entity: str, record_id: str) -> int:
    db.session.rollback()
    return db.session.get(MODELS[entity], uuid.UUID(record_id)).change_seq


def push(helper, mutations: list[dict], client_id: str = CLIENT):
    return helper.post("/api/sync/push", json={"client_id": client_id, "mutations": mutations})


def mutation(seq: int, entity: str, op: str, record_id, data=None, base_version=None) -> dict:
    return {"seq": seq, "entity": entity, "op": op, "id": str(record_id), "data": data,
            "base_version": base_version}


def pushed(helper, mutations: list[dict], client_id: str = CLIENT) -> dict:
    response = push(helper, mutations, client_id)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def count(db, model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def upload(helper, entity: str, entity_id, content: bytes = JPEG, name: str = "photo.jpg"):
    return helper.post("/api/attachments", data={
        "id": str(uuid.uuid4()), "entity": entity, "entity_id": str(entity_id),
        "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


# ---------------------------------------------------------------- pull


def test_first_sync_sends_every_record_as_its_resource_shows_it(alice, people, db):
    company = CompanyFactory(name="Dupont SARL", owner=people.a)
    contact = ContactFactory(last_name="Durand")
    CompanyContactFactory(company=company, contact=contact)
    deal = DealFactory(company=company, name="Copieurs")
    exchange = ExchangeFactory(created_by=people.a, participants=[people.b], company=company,
                               contact=contact, deals=[deal], starts_at=recently(),
                               subject="Visite")
    attachment = upload(alice, "exchange", exchange.id)
    assert attachment.status_code == 201, attachment.get_json()

    changes, cursor = pull_all(alice)

    assert changes, "a first sync sends something"
    entities = {c["entity"] for c in changes}
    assert entities == set(MODELS)
    for change in changes:
        assert set(change) == {"entity", "id", "op", "data"}
        assert change["op"] == "upsert", change
        assert change["data"] == resource(alice, change["entity"], change["id"]), change
    keys = by_key(changes)
    assert len(keys) == len(changes), "each record once"
    for entity, model in MODELS.items():  # everything is there, nothing else
        stored = {str(i) for i in db.session.scalars(select(model.id))}
        assert {i for (e, i) in keys if e == entity} == stored, entity
    assert ("attachment", attachment.get_json()["id"]) in keys
    seqs = [change_seq(db, c["entity"], c["id"]) for c in changes]
    assert seqs == sorted(set(seqs)), "strictly increasing change_seq"
    assert position(cursor) == seqs[-1]


def test_paging_walks_everything_exactly_once(alice, people, db):
    for n in range(4):
        company = CompanyFactory(name=f"Société {n}")
        DealFactory(company=company)
        ContactFactory()
        ExchangeFactory(created_by=people.a, starts_at=recently(n + 1))
    everything = pull(alice, limit=2000)
    assert everything["has_more"] is False

    for limit in (1, 3, 7):
        walked, since, pages = [], "0", 0
        while True:
            body = pull(alice, since, limit)
            pages += 1
            assert len(body["changes"]) <= limit
            walked += body["changes"]
            at = position(body["cursor"])  # opaque to clients
            assert at >= position(since)
            since = body["cursor"]
            if not body["has_more"]:
                break
            assert len(body["changes"]) == limit, "only the last page is short"
        assert walked == everything["changes"], limit
        assert since == everything["cursor"]
        assert pages == -(-len(walked) // limit), "no empty page after the last one"
    tail = pull(alice, everything["cursor"])
    assert tail == {"changes": [], "cursor": everything["cursor"], "has_more": False}


def test_has_more_is_exact_when_one_table_holds_every_change(alice):
    companies = [CompanyFactory() for _ in range(3)]
    _, cursor = pull_all(alice)
    for company in companies:
        assert alice.patch(f"/api/companies/{company.id}",
                           json={"version": 1, "city": "Brest"}).status_code == 200

    exact = pull(alice, cursor, limit=3)
    assert [c["id"] for c in exact["changes"]] == [str(c.id) for c in companies]
    assert exact["has_more"] is False  # no empty page to fetch after it

    first = pull(alice, cursor, limit=2)
    assert [c["id"] for c in first["changes"]] == [str(c.id) for c in companies[:2]]
    assert first["has_more"] is True  # the third one is still to come
    rest = pull(alice, first["cursor"], limit=2)
    assert [c["id"] for c in rest["changes"]] == [str(companies[2].id)]
    assert rest["has_more"] is False and rest["cursor"] == exact["cursor"]


def test_a_delta_after_an_edit_carries_just_that_record(alice, make_auth, people):
    company = CompanyFactory(name="Dupont SARL")
    ExchangeFactory(created_by=people.a, starts_at=recently(), company=company)
    _, cursor = pull_all(alice)
    assert pull(alice, cursor)["changes"] == []

    edited = make_auth(people.b).patch(f"/api/companies/{company.id}",
                                       json={"version": 1, "city": "Nantes"})
    assert edited.status_code == 200

    body = pull(alice, cursor)
    assert body["changes"] == [{"entity": "company", "id": str(company.id), "op": "upsert",
                                "data": edited.get_json()}]
    assert body["has_more"] is False and position(body["cursor"]) > position(cursor)
    assert body["changes"][0]["data"]["city"] == "Nantes"
    assert pull(alice, body["cursor"])["changes"] == []


def test_a_cursor_from_before_a_restore_is_refused(alice, db):
    """After a restore the counter's values are the backup's again: a device's cursor from
    before it, of another epoch or past the counter, would skip what is numbered again."""
    CompanyFactory(name="Dupont SARL")
    db.session.commit()
    _, cursor = pull_all(alice)
    counter = db.session.get(ChangeCounter, 1)
    ahead = f"{counter.epoch}.{counter.value + 5}"
    db.session.execute(update(ChangeCounter).values(epoch="0badcafe"))  # as a restore does
    db.session.commit()

    for stale in (cursor, f"{cursor}:initial", ahead.replace(counter.epoch, "0badcafe")):
        response = alice.get(f"/api/sync/changes?since={stale}")
        assert response.status_code == 410, stale
        assert response.json["error"]["code"] == "cursor_expired"
    fresh = pull(alice, "0")
    assert fresh["cursor"].startswith("0badcafe.")
    assert any(c["entity"] == "company" for c in fresh["changes"])
    assert pull(alice, fresh["cursor"])["changes"] == []
    legacy = alice.get(f"/api/sync/changes?since={position(fresh['cursor'])}")
    assert legacy.status_code == 200  # a device from before epochs goes on, once
    assert legacy.json["cursor"] == fresh["cursor"]


def test_a_pull_hands_out_nothing_above_the_committed_counter(alice, db):
    """On PostgreSQL each per-table query of a pull sees what committed before it: a commit
    landing between two of them could show seq N+1 without N. A pull reads no further than
    the counter's committed value, which every lower seq's commit preceded. Here a row
    stamped above the counter stands for the writer still in flight."""
    done, in_flight = CompanyFactory(name="Dupont SARL"), CompanyFactory(name="Martin SA")
    db.session.commit()
    counter = db.session.get(ChangeCounter, 1)
    db.session.execute(update(Company).where(Company.id == in_flight.id)
                       .values(change_seq=counter.value + 1))
    db.session.commit()

    body = pull(alice, "0")
    assert [c["id"] for c in body["changes"] if c["entity"] == "company"] == [str(done.id)]
    assert position(body["cursor"]) <= counter.value
    db.session.execute(update(ChangeCounter).values(value=ChangeCounter.value + 1))
    db.session.commit()  # the writer commits: the next pull has it
    assert [c["id"] for c in pull(alice, body["cursor"])["changes"]] == [str(in_flight.id)]


def test_a_deleted_record_comes_as_a_delete_without_data(alice, people):
    company = CompanyFactory()
    exchange = ExchangeFactory(created_by=people.a, starts_at=recently())
    _, cursor = pull_all(alice)

    assert alice.delete(f"/api/companies/{company.id}").status_code == 204
    assert alice.delete(f"/api/exchanges/{exchange.id}").status_code == 204

    changes, _ = pull_all(alice, cursor)
    assert changes == [
        {"entity": "company", "id": str(company.id), "op": "delete", "data": None},
        {"entity": "exchange", "id": str(exchange.id), "op": "delete", "data": None}]
    # a first sync has nothing to delete: tombstones are not sent at all
    first = by_key(pull_all(alice)[0])
    assert ("company", str(company.id)) not in first
    assert ("exchange", str(exchange.id)) not in first
    assert all(c["op"] == "upsert" for c in first.values())


def test_a_paged_first_sync_sends_no_delete(alice, people):
    for _ in range(3):
        assert alice.delete(f"/api/companies/{CompanyFactory().id}").status_code == 204
    CompanyFactory()

    changes, _ = pull_all(alice, limit=2)

    assert [c for c in changes if c["op"] == "delete"] == []


def test_a_deactivated_colleague_is_a_delete(alice, people, db):
    gone = UserFactory(active=False)
    leaving = UserFactory(name="Départ")
    first, cursor = pull_all(alice)
    assert ("user", str(gone.id)) not in by_key(first)
    assert by_key(first)[("user", str(leaving.id))]["op"] == "upsert"

    db.session.get(User, leaving.id).active = False
    db.session.commit()

    assert pull(alice, cursor)["changes"] == [
        {"entity": "user", "id": str(leaving.id), "op": "delete", "data": None}]


def test_exchanges_older_than_the_window_are_not_sent(app, alice, people):
    app.config["SYNC_DAYS"] = 30
    old = ExchangeFactory(created_by=people.a, starts_at=recently(40), subject="Ancien")
    recent = ExchangeFactory(created_by=people.a, starts_at=recently(20), subject="Rappel")
    planned = ExchangeFactory(created_by=people.a, starts_at=recently(-10), state="planned")

    body = pull(alice)
    changes = by_key(body["changes"])

    assert ("exchange", str(old.id)) not in changes
    assert str(old.id) not in str(body) and "Ancien" not in str(body)
    assert changes[("exchange", str(recent.id))]["op"] == "upsert"
    assert changes[("exchange", str(planned.id))]["op"] == "upsert"
    # nor are later changes to it, while the cursor still moves past them
    cursor = body["cursor"]
    for change in ({"version": 1, "subject": "Ancien, revu"}, None):
        response = (alice.patch(f"/api/exchanges/{old.id}", json=change) if change
                    else alice.delete(f"/api/exchanges/{old.id}"))
        assert response.status_code in (200, 204)
        delta = pull(alice, cursor)
        assert delta["changes"] == [] and position(delta["cursor"]) > position(cursor)
        cursor = delta["cursor"]
    app.config["SYNC_DAYS"] = 60  # the setting is what decides
    ExchangeFactory(created_by=people.a, starts_at=recently(40), subject="Ancien 2")
    changes = pull(alice)["changes"]
    assert [c["data"]["subject"] for c in changes if c["entity"] == "exchange"] == [
        "Rappel", "Relance devis", "Ancien 2"]


@pytest.fixture()
def secret(people):
    return ExchangeFactory(created_by=people.a, participants=[people.b], private=True,
                           subject=SECRET, details=SECRET, starts_at=recently())


@pytest.mark.parametrize("who", ["c", "manager", "admin"])
def test_a_private_exchange_is_never_sent_to_outsiders(make_auth, people, secret, who):
    helper = make_auth(getattr(people, who))
    alice = make_auth(people.a)

    response = helper.get("/api/sync/changes?since=0")

    assert response.status_code == 200
    assert SECRET not in response.get_data(as_text=True)
    assert str(secret.id) not in response.get_data(as_text=True)  # a first sync: not at all
    cursor = response.get_json()["cursor"]
    edited = alice.patch(f"/api/exchanges/{secret.id}", json={"version": 1, "details": "Suite"})
    assert edited.status_code == 200
    later = ExchangeFactory(created_by=people.a, private=True, subject=SECRET,
                            starts_at=recently())

    delta = helper.get(f"/api/sync/changes?since={cursor}")
    assert SECRET not in delta.get_data(as_text=True)
    assert delta.get_json()["changes"] == [  # after that, as a delete, never its data
        {"entity": "exchange", "id": str(secret.id), "op": "delete", "data": None},
        {"entity": "exchange", "id": str(later.id), "op": "delete", "data": None}]


@pytest.mark.parametrize("who", ["a", "b"])
def test_a_private_exchange_is_sent_to_its_author_and_participants(make_auth, people, secret,
                                                                   who):
    helper = make_auth(getattr(people, who))

    change = by_key(pull_all(helper)[0])[("exchange", str(secret.id))]

    assert change["op"] == "upsert"
    assert change["data"] == helper.get(f"/api/exchanges/{secret.id}").get_json()
    assert change["data"]["subject"] == SECRET


def test_made_private_after_a_sync_the_next_delta_deletes_it(alice, make_auth, people):
    chloe = make_auth(people.c)
    exchange = ExchangeFactory(created_by=people.a, subject=SECRET, starts_at=recently())
    first, cursor = pull_all(chloe)
    assert by_key(first)[("exchange", str(exchange.id))]["op"] == "upsert"

    made_private = alice.patch(f"/api/exchanges/{exchange.id}",
                               json={"version": 1, "private": True})
    assert made_private.status_code == 200

    response = chloe.get(f"/api/sync/changes?since={cursor}")
    assert response.get_json()["changes"] == [
        {"entity": "exchange", "id": str(exchange.id), "op": "delete", "data": None}]
    assert SECRET not in response.get_data(as_text=True)
    # its author still gets it, as it is now
    alice_changes = pull(alice, cursor)["changes"]
    assert alice_changes == [{"entity": "exchange", "id": str(exchange.id), "op": "upsert",
                              "data": made_private.get_json()}]


def test_removed_participant_gets_a_delete(alice, make_auth, people, secret):
    bruno = make_auth(people.b)
    _, cursor = pull_all(bruno)

    assert alice.patch(f"/api/exchanges/{secret.id}",
                       json={"version": 1, "participant_ids": []}).status_code == 200

    assert pull(bruno, cursor)["changes"] == [
        {"entity": "exchange", "id": str(secret.id), "op": "delete", "data": None}]


@pytest.mark.parametrize("query, field", [
    ("since=-1", "since"), ("since=abc", "since"), ("since=1.5", "since"),
    ("limit=0", "limit"), ("limit=2001", "limit"), ("limit=ten", "limit"),
    ("since=0&limit=-3", "limit"),
])
def test_bad_since_or_limit_is_422(alice, query, field):
    error = assert_error(alice.get(f"/api/sync/changes?{query}"), 422, "validation_error")

    assert set(error["fields"]) == {field}


def test_limit_bounds_are_accepted(alice):
    CompanyFactory()
    assert len(pull(alice, limit=1)["changes"]) == 1
    assert pull(alice, limit=2000)["has_more"] is False


def test_anonymous_callers_get_401(client, db_state):
    before = db_state()

    assert_error(client.get("/api/sync/changes"), 401, "unauthorized")
    assert_error(client.post("/api/sync/push", json={"client_id": CLIENT, "mutations": []}),
                 401, "unauthorized")
    assert db_state() == before


# ---------------------------------------------------------------- push


def test_push_applies_creates_updates_and_deletes(alice, people, db):
    company_id, exchange_id = uuid.uuid4(), uuid.uuid4()

    body = pushed(alice, [
        mutation(1, "company", "create", company_id, {"name": "Dupont SARL", "city": "Lyon"}),
        mutation(2, "exchange", "create", exchange_id,
                 {"kind": "visit", "starts_at": iso(recently()), "subject": "Visite",
                  "company_id": str(company_id)}),
        mutation(3, "company", "update", company_id, {"city": "Nantes"}, base_version=1),
        mutation(4, "exchange", "delete", exchange_id),
    ])

    assert [r["seq"] for r in body["results"]] == [1, 2, 3, 4]
    assert [r["status"] for r in body["results"]] == ["applied"] * 4
    assert body["last_seq"] == 4
    company = alice.get(f"/api/companies/{company_id}").get_json()
    assert body["results"][2] == {"seq": 3, "status": "applied", "data": company}
    assert company["city"] == "Nantes" and company["version"] == 2
    assert company["owner_id"] == str(people.a.id)
    assert body["results"][1]["data"]["created_by"] == str(people.a.id)
    assert body["results"][1]["data"]["company_name"] == "Dupont SARL"
    assert body["results"][3] == {"seq": 4, "status": "applied", "data": None}
    assert_error(alice.get(f"/api/exchanges/{exchange_id}"), 404, "not_found")
    client = db.session.get(SyncClient, (uuid.UUID(CLIENT), people.a.id))
    assert client.last_seq == 4


def test_pushed_changes_reach_other_devices(alice, make_auth, people):
    bruno = make_auth(people.b)
    _, cursor = pull_all(bruno)
    company_id = uuid.uuid4()

    body = pushed(alice, [mutation(1, "company", "create", company_id, {"name": "Neuve"})])

    company, created = pull(bruno, cursor)["changes"]
    assert company == {"entity": "company", "id": str(company_id), "op": "upsert",
                       "data": body["results"][0]["data"]}
    assert created["entity"] == "record_event" and created["data"]["kind"] == "record_created"
    assert created["data"]["record_id"] == str(company_id)  # its timeline's first line


def test_a_replayed_batch_is_all_duplicate_and_writes_nothing(alice, db_state):
    company_id = uuid.uuid4()
    batch = [
        mutation(1, "company", "create", company_id, {"name": "Dupont SARL"}),
        mutation(2, "company", "update", company_id, {"city": "Brest"}, base_version=1),
        mutation(3, "company", "update", company_id, {"city": "Lyon"}, base_version=1),  # stale
        mutation(4, "exchange", "create", uuid.uuid4(), {"kind": "fax",
                                                          "starts_at": iso(recently())}),
        mutation(5, "contact", "create", uuid.uuid4(), {"last_name": "Durand"}),
    ]
    first = pushed(alice, batch)
    assert [r["status"] for r in first["results"]] == [
        "applied", "applied", "conflict", "rejected", "applied"]
    before = db_state()

    again = pushed(alice, batch)  # the answer was lost: the device sends it all again

    assert again == {"results": [{"seq": n, "status": "duplicate"} for n in range(1, 6)],
                     "last_seq": 5}
    assert db_state() == before
    assert alice.get(f"/api/companies/{company_id}").get_json()["version"] == 2


def test_a_batch_overlapping_what_was_done_applies_only_the_new_part(alice, db):
    ids = [uuid.uuid4() for _ in range(3)]
    pushed(alice, [mutation(1, "company", "create", ids[0], {"name": "A"}),
                   mutation(2, "company", "create", ids[1], {"name": "B"})])

    body = pushed(alice, [mutation(2, "company", "create", ids[1], {"name": "B"}),
                          mutation(7, "company", "create", ids[2], {"name": "C"})])

    assert [(r["seq"], r["status"]) for r in body["results"]] == [(2, "duplicate"),
                                                                  (7, "applied")]
    assert body["last_seq"] == 7
    assert count(db, Company) == 3


def test_mutations_run_in_seq_order_whatever_the_list_order(alice):
    company_id, contact_id = uuid.uuid4(), uuid.uuid4()
    batch = [
        mutation(1, "company", "create", company_id, {"name": "Dupont SARL"}),
        mutation(2, "company", "update", company_id, {"city": "Brest"}, base_version=1),
        mutation(3, "contact", "create", contact_id, {
            "last_name": "Durand", "companies": [{"company_id": str(company_id)}]}),
        mutation(4, "company", "update", company_id, {"city": "Lyon"}, base_version=2),
        mutation(5, "contact", "update", contact_id, {"first_name": "Hélène"}, base_version=1),
    ]
    shuffled = batch[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != batch

    body = pushed(alice, shuffled)

    assert [(r["seq"], r["status"]) for r in body["results"]] == [
        (n, "applied") for n in range(1, 6)]
    company = alice.get(f"/api/companies/{company_id}").get_json()
    assert (company["city"], company["version"]) == ("Lyon", 3)
    contact = alice.get(f"/api/contacts/{contact_id}").get_json()
    assert contact["first_name"] == "Hélène" and contact["version"] == 2


def test_a_stale_base_version_is_a_final_conflict_with_the_stored_record(alice, make_auth,
                                                                         people, db_state):
    company = CompanyFactory(name="Dupont SARL", city="Lyon")
    current = make_auth(people.b).patch(f"/api/companies/{company.id}",
                                        json={"version": 1, "city": "Nantes"}).get_json()
    batch = [mutation(1, "company", "update", company.id, {"city": "Brest"}, base_version=1)]

    body = pushed(alice, batch)

    assert body == {"results": [{"seq": 1, "status": "conflict", "current": current}],
                    "last_seq": 1}
    assert alice.get(f"/api/companies/{company.id}").get_json() == current
    before = db_state()
    assert pushed(alice, batch)["results"] == [{"seq": 1, "status": "duplicate"}]
    assert db_state() == before
    # the user's resolution goes as a new mutation
    resolved = pushed(alice, [mutation(2, "company", "update", company.id, {"city": "Brest"},
                                       base_version=current["version"])])
    assert resolved["results"][0]["status"] == "applied"
    assert resolved["results"][0]["data"]["city"] == "Brest"


def test_a_create_whose_id_holds_another_record_is_a_conflict(alice, people, db):
    existing = ExchangeFactory(created_by=people.a, subject="Premier", starts_at=recently())
    stored = alice.get(f"/api/exchanges/{existing.id}").get_json()
    company_json = alice.post("/api/companies", json={"name": "Dupont SARL"}).get_json()
    company_id = company_json["id"]

    body = pushed(alice, [
        mutation(1, "exchange", "create", existing.id,
                 {"kind": "call", "starts_at": stored["starts_at"], "subject": "Second"}),
        mutation(2, "company", "create", company_id, {"name": "Autre nom"}),
        mutation(3, "company", "create", company_id, {"name": "Dupont SARL"}),  # same: a replay
    ])

    assert body["results"] == [
        {"seq": 1, "status": "conflict", "current": stored},
        {"seq": 2, "status": "conflict", "current": company_json},
        {"seq": 3, "status": "applied", "data": company_json}]
    assert alice.get(f"/api/exchanges/{existing.id}").get_json() == stored
    assert count(db, Exchange) == 1 and count(db, Company) == 1


def test_rejected_mutations_carry_an_error_and_the_batch_goes_on(alice, db):
    company = CompanyFactory()
    ok_id = uuid.uuid4()

    body = pushed(alice, [
        mutation(1, "exchange", "create", uuid.uuid4(), {"kind": "fax",
                                                          "starts_at": iso(recently())}),
        mutation(2, "company", "update", company.id, {"city": "Brest"}),  # no base_version
        mutation(3, "company", "create", uuid.uuid4(), {"city": "Sans nom"}),
        mutation(4, "deal", "create", uuid.uuid4(), {"name": "X", "company_id": str(ok_id)}),
        mutation(5, "company", "update", uuid.uuid4(), {"city": "Brest"}, base_version=1),
        mutation(6, "company", "create", ok_id, {"name": "Bien"}),
    ])

    results = body["results"]
    assert [r["status"] for r in results] == ["rejected"] * 5 + ["applied"]
    expected = [("validation_error", {"kind"}), ("validation_error", {"base_version"}),
                ("validation_error", {"name"}), ("validation_error", {"company_id"}),
                ("not_found", set())]
    for result, (code, fields) in zip(results, expected, strict=False):
        assert set(result) == {"seq", "status", "error"}
        error = result["error"]
        assert set(error) <= {"code", "message", "fields"}
        assert error["code"] == code and isinstance(error["message"], str) and error["message"]
        assert set(error.get("fields", {})) == fields, result
    assert body["last_seq"] == 6
    assert count(db, Company) == 2 and count(db, Exchange) == 0 and count(db, Deal) == 0
    assert alice.get(f"/api/companies/{company.id}").get_json()["version"] == 1


def test_a_rejected_update_leaves_no_half_written_change(alice, people):
    exchange = ExchangeFactory(created_by=people.a, starts_at=recently(), subject="Avant")
    before = alice.get(f"/api/exchanges/{exchange.id}").get_json()
    company_id = uuid.uuid4()

    body = pushed(alice, [
        # checked on the merged record, after the subject was set: must all be undone
        mutation(1, "exchange", "update", exchange.id,
                 {"subject": "Après", "ends_at": iso(recently(10))}, base_version=1),
        mutation(2, "company", "create", company_id, {"name": "Suivante"}),
    ])

    assert [r["status"] for r in body["results"]] == ["rejected", "applied"]
    assert set(body["results"][0]["error"]["fields"]) == {"ends_at"}
    assert alice.get(f"/api/exchanges/{exchange.id}").get_json() == before


def test_deleting_what_is_already_gone_is_applied(alice):
    company = CompanyFactory()
    assert alice.delete(f"/api/companies/{company.id}").status_code == 204
    assert alice.get(f"/api/companies/{company.id}").status_code == 404

    body = pushed(alice, [mutation(1, "company", "delete", company.id),
                          mutation(2, "exchange", "delete", uuid.uuid4())])

    assert body["results"] == [{"seq": 1, "status": "applied", "data": None},
                               {"seq": 2, "status": "applied", "data": None}]


def test_each_user_of_a_client_id_has_its_own_seq(alice, make_auth, people, db):
    bruno = make_auth(people.b)
    pushed(alice, [mutation(n, "company", "create", uuid.uuid4(), {"name": f"A{n}"})
                   for n in (1, 2, 3)])

    body = pushed(bruno, [mutation(1, "company", "create", uuid.uuid4(), {"name": "B1"}),
                          mutation(2, "company", "create", uuid.uuid4(), {"name": "B2"})])

    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    assert body["last_seq"] == 2
    assert count(db, Company) == 5
    seqs = dict(db.session.execute(select(SyncClient.user_id, SyncClient.last_seq)
                                   .where(SyncClient.client_id == uuid.UUID(CLIENT))).all())
    assert seqs == {people.a.id: 3, people.b.id: 2}
    # and another installation of the same user starts from zero
    other = pushed(alice, [mutation(1, "company", "create", uuid.uuid4(), {"name": "A'"})],
                   client_id=OTHER_CLIENT)
    assert other["results"][0]["status"] == "applied"


@pytest.mark.parametrize("who", ["c", "manager", "admin"])
def test_someone_elses_private_exchange_cannot_be_touched_by_push(make_auth, people, secret,
                                                                  who, db_state):
    helper = make_auth(getattr(people, who))
    before = db_state()
    hidden = {"subject": "Vu !"}

    response = push(helper, [
        mutation(1, "exchange", "update", secret.id, hidden, base_version=1),
        mutation(2, "exchange", "update", secret.id, hidden, base_version=99),
        mutation(3, "exchange", "create", secret.id, {"kind": "call",
                                                       "starts_at": iso(recently())}),
        mutation(4, "exchange", "update", uuid.uuid4(), hidden, base_version=1),
    ])

    assert response.status_code == 200
    assert SECRET not in response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert {r["error"]["code"] for r in results} == {"not_found"}
    # nothing tells it apart from an id that never existed
    assert results[0]["error"] == results[3]["error"]
    after = db_state()
    assert after.pop("sync_clients") == before.pop("sync_clients") + 1
    assert after == before
    assert make_auth(people.a).get(f"/api/exchanges/{secret.id}").get_json()["version"] == 1


def test_a_participant_may_not_change_the_private_exchange(make_auth, people, secret):
    body = pushed(make_auth(people.b), [
        mutation(1, "exchange", "update", secret.id, {"subject": "X"}, base_version=1)])

    assert body["results"][0]["status"] == "rejected"
    assert body["results"][0]["error"]["code"] == "forbidden"


def test_more_than_200_mutations_is_422_and_writes_nothing(alice, db_state):
    batch = [mutation(n, "company", "create", uuid.uuid4(), {"name": f"S{n}"})
             for n in range(1, 202)]
    before = db_state()

    error = assert_error(push(alice, batch), 422, "validation_error")

    assert set(error["fields"]) == {"mutations"}
    assert db_state() == before
    assert [r["status"] for r in pushed(alice, batch[:200])["results"]] == ["applied"] * 200


@pytest.mark.parametrize("bad, field", [
    ({"seq": 0}, "mutations.1.seq"),
    ({"seq": "2"}, "mutations.1.seq"),
    ({"entity": "user"}, "mutations.1.entity"),
    ({"op": "upsert"}, "mutations.1.op"),
    ({"id": "nope"}, "mutations.1.id"),
    ({"extra": 1}, "mutations.1.extra"),
])
def test_a_bad_envelope_fails_the_whole_batch(alice, db_state, bad, field):
    batch = [mutation(1, "company", "create", uuid.uuid4(), {"name": "A"}),
             {**mutation(2, "company", "create", uuid.uuid4(), {"name": "B"}), **bad}]
    before = db_state()

    error = assert_error(push(alice, batch), 422, "validation_error")

    assert set(error["fields"]) == {field}
    assert db_state() == before


@pytest.mark.parametrize("body, field", [
    ({"mutations": []}, "client_id"),
    ({"client_id": "not-a-uuid", "mutations": []}, "client_id"),
    ({"client_id": CLIENT}, "mutations"),
    ({"client_id": CLIENT, "mutations": {}}, "mutations"),
])
def test_a_bad_push_body_is_422(alice, db_state, body, field):
    before = db_state()

    error = assert_error(alice.post("/api/sync/push", json=body), 422, "validation_error")

    assert set(error["fields"]) == {field}
    assert db_state() == before


def test_push_requires_the_csrf_token(alice, db_state):
    before = db_state()
    batch = {"client_id": CLIENT,
             "mutations": [mutation(1, "company", "create", uuid.uuid4(), {"name": "A"})]}

    for headers in ({"X-CSRF-Token": ""}, {"X-CSRF-Token": "forged"}):
        assert_error(alice.post("/api/sync/push", json=batch, headers=headers), 403,
                     "csrf_failed")

    assert db_state() == before
    assert alice.post("/api/sync/push", json=batch).status_code == 200
