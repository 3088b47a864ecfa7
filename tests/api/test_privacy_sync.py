"""A private exchange stays private through the sync doors: pull, push and attachments.

Alice (a) writes a private exchange with Bruno (b) as participant, with a file on it. Chloé (c),
the manager and the admin must not learn its content from anything sync sends them: not in a
first sync, not in a delta (where it may only appear as a bare `delete`), not in push results,
and pushing at it must not change it.
"""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest

from app.models import utcnow
from tests.factories import CompanyFactory, ExchangeFactory

SECRET = "Négociation confidentielle Zanzibar"
FILENAME = "zanzibar-contrat.pdf"
PDF = b"%PDF-1.4\n%%EOF\n"
CLIENT = "0f1e2d3c-4b5a-4697-8877-665544332211"
OUTSIDERS = ["c", "manager", "admin"]
INSIDERS = ["a", "b"]


@pytest.fixture()
def scene(people, make_auth):
    from types import SimpleNamespace

    alice = make_auth(people.a)
    company = CompanyFactory(name="Dupont SARL")
    secret = ExchangeFactory(created_by=people.a, participants=[people.b], private=True,
                             subject=SECRET, details=f"{SECRET} (détails)", company=company,
                             starts_at=utcnow() - timedelta(days=2))
    attachment_id = str(uuid.uuid4())
    response = alice.post("/api/attachments", content_type="multipart/form-data", data={
        "id": attachment_id, "entity": "exchange", "entity_id": str(secret.id),
        "file": (io.BytesIO(PDF), FILENAME)})
    assert response.status_code == 201
    return SimpleNamespace(alice=alice, company=company, secret=secret,
                           attachment_id=attachment_id)


def changes(helper, since="0", limit=3) -> tuple[list[dict], str, str]:
    """Every change after `since` (looping on has_more), the last cursor, and the raw text."""
    found, texts = [], []
    while True:
        response = helper.get(f"/api/sync/changes?since={since}&limit={limit}")
        assert response.status_code == 200
        texts.append(response.get_data(as_text=True))
        body = response.get_json()
        found += body["changes"]
        since = body["cursor"]
        if not body["has_more"]:
            return found, since, "".join(texts)


def assert_secret_absent(text: str) -> None:
    assert SECRET not in text and "Zanzibar" not in text and "zanzibar" not in text


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_get_the_exchange_and_its_file(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))

    found = {(c["entity"], c["id"]): c for c in changes(helper)[0]}

    exchange = found[("exchange", str(scene.secret.id))]
    assert exchange["op"] == "upsert" and exchange["data"]["subject"] == SECRET
    attachment = found[("attachment", scene.attachment_id)]
    assert attachment["op"] == "upsert" and attachment["data"]["filename"] == FILENAME


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_first_sync_does_not_mention_it(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))

    found, _, text = changes(helper, limit=2000)

    assert_secret_absent(text)
    assert str(scene.secret.id) not in text and scene.attachment_id not in text
    assert FILENAME not in text
    assert ("company", str(scene.company.id)) in {(c["entity"], c["id"]) for c in found}
    # in small pages, past the first one, it may appear, but only as a bare delete
    found, _, text = changes(helper, limit=1)
    assert_secret_absent(text)
    assert FILENAME not in text
    about_it = [c for c in found if c["id"] in (str(scene.secret.id), scene.attachment_id)]
    assert all(c["op"] == "delete" and c["data"] is None for c in about_it), about_it


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_delta_only_ever_says_delete(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))
    _, cursor, _ = changes(helper)

    url = f"/api/exchanges/{scene.secret.id}"
    assert scene.alice.patch(url, json={"version": 1, "subject": f"{SECRET} 2"}).status_code == 200
    other_file = str(uuid.uuid4())
    assert scene.alice.post("/api/attachments", content_type="multipart/form-data", data={
        "id": other_file, "entity": "exchange", "entity_id": str(scene.secret.id),
        "file": (io.BytesIO(PDF), f"autre-{FILENAME}")}).status_code == 201

    found, _, text = changes(helper, cursor)

    assert_secret_absent(text)
    assert found == [
        {"entity": "exchange", "id": str(scene.secret.id), "op": "delete", "data": None},
        {"entity": "attachment", "id": other_file, "op": "delete", "data": None}]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_pushing_at_it_changes_nothing_and_reveals_nothing(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))
    before = scene.alice.get(f"/api/exchanges/{scene.secret.id}").get_json()
    secret_id = str(scene.secret.id)
    mutations = [
        {"seq": 1, "entity": "exchange", "op": "update", "id": secret_id,
         "data": {"subject": "Vu !"}, "base_version": 1},
        {"seq": 2, "entity": "exchange", "op": "update", "id": secret_id,
         "data": {"subject": "Vu !"}, "base_version": 7},  # stale: still no conflict body
        {"seq": 3, "entity": "exchange", "op": "create", "id": secret_id,
         "data": {"kind": "call", "starts_at": before["starts_at"], "subject": SECRET}},
        {"seq": 4, "entity": "exchange", "op": "delete", "id": secret_id},
    ]

    response = helper.post("/api/sync/push", json={"client_id": CLIENT, "mutations": mutations})

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert_secret_absent(text)
    results = response.get_json()["results"]
    assert [r["status"] for r in results[:3]] == ["rejected"] * 3
    assert all(r["error"]["code"] == "not_found" and "current" not in r for r in results[:3])
    # deleting it answers as for an id that never existed, and does not delete it
    assert results[3] == {"seq": 4, "status": "applied", "data": None}
    assert scene.alice.get(f"/api/exchanges/{scene.secret.id}").get_json() == before
    assert scene.alice.get(f"/api/attachments/{scene.attachment_id}").status_code == 200


def test_a_participant_cannot_push_changes_to_it_either(make_auth, people, scene):
    bruno = make_auth(people.b)
    before = scene.alice.get(f"/api/exchanges/{scene.secret.id}").get_json()

    response = bruno.post("/api/sync/push", json={"client_id": CLIENT, "mutations": [
        {"seq": 1, "entity": "exchange", "op": "update", "id": str(scene.secret.id),
         "data": {"subject": "X"}, "base_version": 1},
        {"seq": 2, "entity": "exchange", "op": "delete", "id": str(scene.secret.id)}]})

    results = response.get_json()["results"]
    assert [(r["status"], r["error"]["code"]) for r in results] == [("rejected", "forbidden")] * 2
    assert scene.alice.get(f"/api/exchanges/{scene.secret.id}").get_json() == before


def test_made_private_later_outsiders_are_told_to_delete_it(make_auth, people):
    alice, chloe = make_auth(people.a), make_auth(people.c)
    exchange = ExchangeFactory(created_by=people.a, subject=SECRET,
                               starts_at=utcnow() - timedelta(days=1))
    found, cursor, _ = changes(chloe)
    assert ("exchange", str(exchange.id)) in {(c["entity"], c["id"]) for c in found}

    assert alice.patch(f"/api/exchanges/{exchange.id}",
                       json={"version": 1, "private": True}).status_code == 200

    found, _, text = changes(chloe, cursor)
    assert_secret_absent(text)
    assert found == [{"entity": "exchange", "id": str(exchange.id), "op": "delete",
                      "data": None}]


def test_made_private_later_its_files_are_deleted_too(make_auth, people):
    alice, chloe = make_auth(people.a), make_auth(people.c)
    exchange = ExchangeFactory(created_by=people.a, starts_at=utcnow() - timedelta(days=1))
    attachment_id = str(uuid.uuid4())
    assert alice.post("/api/attachments", content_type="multipart/form-data", data={
        "id": attachment_id, "entity": "exchange", "entity_id": str(exchange.id),
        "file": (io.BytesIO(PDF), FILENAME)}).status_code == 201
    _, cursor, _ = changes(chloe)

    assert alice.patch(f"/api/exchanges/{exchange.id}",
                       json={"version": 1, "private": True}).status_code == 200

    found, _, _ = changes(chloe, cursor)
    assert {"entity": "attachment", "id": attachment_id, "op": "delete",
            "data": None} in found
