"""/api/notifications: the inbox, its badge count, read and unread, and privacy at this door."""

from __future__ import annotations

import uuid

from app.extensions import db
from tests.factories import CompanyFactory, assert_error


def log(auth, **fields) -> dict:
    body = {"kind": "call", "starts_at": "2026-11-24T09:00:00Z", "subject": "Relance", **fields}
    response = auth.post("/api/exchanges", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_an_exchange_on_my_company_lands_in_my_inbox_once(people, alice, bruno):
    company = CompanyFactory(name="Cave Dupuis", owner=people.b)
    db.session.commit()

    exchange = log(alice, company_id=str(company.id))
    alice.post("/api/exchanges", json={"id": exchange["id"], "kind": "call",  # a replay
                                       "starts_at": "2026-11-24T09:00:00Z", "subject": "Relance",
                                       "company_id": str(company.id)})

    assert bruno.get("/api/notifications/unread-count").json == {"count": 1}
    (item,) = bruno.get("/api/notifications", headers={"Accept-Language": "en"}).json["items"]
    assert item["title"] == "Cave Dupuis" and item["body"] == "Alice Sales · Call: Relance"
    assert item["url"] == f"/#/companies/{company.id}" and item["read_at"] is None
    assert item["record"] == {"type": "company", "id": str(company.id)}
    french = bruno.get("/api/notifications", headers={"Accept-Language": "fr"}).json["items"]
    assert french[0]["body"] == "Alice Sales · Appel : Relance"
    assert alice.get("/api/notifications").json["items"] == []  # not the author's


def test_read_one_then_all(people, alice, bruno):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    for subject in ("un", "deux", "trois"):
        log(alice, company_id=str(company.id), subject=subject)
    first, *_ = bruno.get("/api/notifications").json["items"]
    assert first["body"].endswith(": trois")  # newest first

    read = bruno.post(f"/api/notifications/{first['id']}/read")
    again = bruno.post(f"/api/notifications/{first['id']}/read")

    assert read.status_code == 200 and read.json["read_at"] is not None
    assert again.json["read_at"] == read.json["read_at"]
    assert bruno.get("/api/notifications/unread-count").json == {"count": 2}
    assert len(bruno.get("/api/notifications?unread=true").json["items"]) == 2
    assert bruno.post("/api/notifications/read-all").json == {"count": 2}
    assert bruno.get("/api/notifications/unread-count").json == {"count": 0}
    assert len(bruno.get("/api/notifications").json["items"]) == 3


def test_pages_are_stable_newest_first(people, alice, bruno):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    for n in range(5):
        log(alice, company_id=str(company.id), subject=f"n{n}")

    first = bruno.get("/api/notifications?limit=2").json
    second = bruno.get(f"/api/notifications?limit=2&cursor={first['next_cursor']}").json
    third = bruno.get(f"/api/notifications?limit=2&cursor={second['next_cursor']}").json

    bodies = [i["body"][-2:] for page in (first, second, third) for i in page["items"]]
    assert bodies == ["n4", "n3", "n2", "n1", "n0"] and third["next_cursor"] is None


def test_someone_elses_notification_is_not_found(people, alice, bruno, chloe):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    log(alice, company_id=str(company.id))
    (item,) = bruno.get("/api/notifications").json["items"]

    assert_error(chloe.post(f"/api/notifications/{item['id']}/read"), 404, "not_found")
    assert_error(chloe.post(f"/api/notifications/{uuid.uuid4()}/read"), 404, "not_found")
    assert chloe.post("/api/notifications/read-all").json == {"count": 0}
    assert bruno.get("/api/notifications/unread-count").json == {"count": 1}


def test_an_exchange_made_private_or_deleted_leaves_the_inbox(people, alice, bruno):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    hidden = log(alice, company_id=str(company.id), subject="Bientôt privé")
    deleted = log(alice, company_id=str(company.id), subject="Bientôt supprimé")
    assert bruno.get("/api/notifications/unread-count").json == {"count": 2}

    alice.patch(f"/api/exchanges/{hidden['id']}", json={"version": hidden["version"],
                                                         "private": True})
    alice.delete(f"/api/exchanges/{deleted['id']}")

    assert bruno.get("/api/notifications").json["items"] == []
    assert bruno.get("/api/notifications/unread-count").json == {"count": 0}
    assert bruno.post("/api/notifications/read-all").json == {"count": 0}


def test_a_private_exchange_is_in_no_one_elses_inbox(people, alice, bruno, chloe):
    company = CompanyFactory(owner=people.b)
    db.session.commit()

    log(alice, company_id=str(company.id), private=True, participant_ids=[str(people.c.id)])

    assert bruno.get("/api/notifications").json["items"] == []
    # A participant hears it was shared with them (not as the company's follower: once).
    (item,) = chloe.get("/api/notifications").json["items"]
    assert item["kind"] == "exchange_shared"


def test_anonymous_callers_and_bad_queries(client, bruno):
    for method, url in (("GET", "/api/notifications"), ("GET", "/api/notifications/unread-count"),
                        ("POST", "/api/notifications/read-all")):
        assert_error(client.open(url, method=method), 401, "unauthorized")
    assert_error(bruno.get("/api/notifications?limit=0"), 422, "validation_error")
    assert_error(bruno.get("/api/notifications?cursor=%%%"), 400)
    assert_error(bruno.get("/api/notifications?unread=peut-etre"), 422, "validation_error")
    assert_error(bruno.post("/api/notifications/pas-un-id/read"), 404)
