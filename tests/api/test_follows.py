"""/api/follows, automatic follows, and who hears of what: followers, per kind and channel."""

from __future__ import annotations

import uuid

from app.extensions import db
from app.models import Follow
from tests.conftest import run_jobs
from tests.factories import CompanyFactory, ContactFactory, DealFactory, assert_error


def inbox(auth, lang: str = "fr") -> list[dict]:
    return auth.get("/api/notifications", headers={"Accept-Language": lang}).json["items"]


def follow(auth, record_type: str, record_id, following: bool = True, kinds=None):
    response = auth.put(f"/api/follows/{record_type}/{record_id}",
                        json={"following": following, "kinds": kinds})
    assert response.status_code == 200, response.json
    return response.json


def log(auth, **fields) -> dict:
    body = {"kind": "call", "starts_at": "2026-11-24T09:00:00Z", "subject": "Relance", **fields}
    response = auth.post("/api/exchanges", json=body)
    assert response.status_code == 201, response.json
    return response.json


def rows(user) -> dict[tuple[str, str], tuple[bool, str]]:
    db.session.rollback()
    found = db.session.scalars(db.select(Follow).where(Follow.user_id == user.id))
    return {(f.record_type, str(f.record_id)): (f.following, f.reason) for f in found}


# -- the API ------------------------------------------------------------------------------------

def test_follow_a_record_for_some_kinds_then_stop(people, alice):
    deal = DealFactory(name="Four à sole", owner=people.b)
    db.session.commit()
    url = f"/api/follows/deal/{deal.id}"

    assert alice.get(url).json == {"record_type": "deal", "record_id": str(deal.id),
                                   "following": False, "kinds": None, "reason": None,
                                   "title": "Four à sole", "created_at": None}
    saved = follow(alice, "deal", deal.id, kinds=["deal_won", "deal_lost", "deal_won"])

    assert saved["following"] is True and saved["kinds"] == ["deal_won", "deal_lost"]
    assert saved["reason"] == "manual" and alice.get(url).json == saved
    (listed,) = alice.get("/api/follows").json["items"]
    assert listed == saved
    stopped = follow(alice, "deal", deal.id, following=False)
    assert stopped["following"] is False and alice.get(url).json["following"] is False
    assert alice.get("/api/follows").json == {"items": [], "next_cursor": None}


def test_the_owner_follows_without_having_asked(people, bruno):
    company = CompanyFactory(owner=people.b)
    db.session.commit()

    mine = bruno.get(f"/api/follows/company/{company.id}").json

    assert (mine["following"], mine["reason"], mine["kinds"]) == (True, "owner", None)


def test_my_follows_come_in_stable_pages_newest_first(people, alice):
    companies = [CompanyFactory(owner=people.b) for _ in range(4)]
    contact = ContactFactory(owner=people.b)
    db.session.commit()
    for company in companies:
        follow(alice, "company", company.id)
    follow(alice, "contact", contact.id)

    first = alice.get("/api/follows?limit=3").json
    second = alice.get(f"/api/follows?limit=3&cursor={first['next_cursor']}").json

    ids = [item["record_id"] for page in (first, second) for item in page["items"]]
    assert ids == [str(r.id) for r in (contact, *reversed(companies))]
    assert len(first["items"]) == 3 and second["next_cursor"] is None
    only = alice.get("/api/follows?record_type=contact").json["items"]
    assert [(i["record_type"], i["title"]) for i in only] == [("contact", contact.full_name)]


def test_a_deleted_record_leaves_my_follows(people, alice, bruno):
    contact = ContactFactory(owner=people.b)
    db.session.commit()
    follow(alice, "contact", contact.id)

    assert bruno.delete(f"/api/contacts/{contact.id}").status_code == 204

    assert alice.get("/api/follows").json["items"] == []
    assert_error(alice.get(f"/api/follows/contact/{contact.id}"), 404, "not_found")


def test_unknown_records_types_and_kinds_are_refused(people, alice, db_state):
    company = CompanyFactory()
    db.session.commit()
    before = db_state()

    assert_error(alice.get(f"/api/follows/company/{uuid.uuid4()}"), 404, "not_found")
    assert_error(alice.put(f"/api/follows/deal/{company.id}", json={"following": True}),
                 404, "not_found")  # a company's id is no deal
    assert_error(alice.put(f"/api/follows/exchange/{uuid.uuid4()}", json={"following": True}),
                 404)
    error = assert_error(alice.put(f"/api/follows/company/{company.id}",
                                   json={"following": True, "kinds": ["deal_wonn"]}),
                         422, "validation_error")
    assert set(error["fields"]) == {"kinds.0"}
    assert_error(alice.get("/api/follows?record_type=task"), 422, "validation_error")
    assert_error(alice.get("/api/follows?cursor=nope"), 400)
    assert db_state() == before


# -- automatic follows --------------------------------------------------------------------------

def test_a_new_record_is_followed_by_its_owner_and_creator(people, alice, bruno):
    created = alice.post("/api/companies", json={"name": "Garage Lenoir",
                                                 "owner_id": str(people.b.id)}).json

    key = ("company", created["id"])
    assert rows(people.a)[key] == (True, "created")
    assert rows(people.b)[key] == (True, "owner")
    assert bruno.get(f"/api/follows/company/{created['id']}").json["reason"] == "owner"


def test_auto_follow_of_new_deals_follows_and_tells(people, alice, bruno, chloe):
    company = CompanyFactory(owner=people.a)
    db.session.commit()
    chloe.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                             "auto_follow": ["deal"]})

    deal = alice.post("/api/deals", json={"name": "Four à pain", "company_id": str(company.id),
                                          "owner_id": str(people.b.id)}).json
    alice.post("/api/contacts", json={"last_name": "Durand"})  # not a deal: nothing

    assert rows(people.c) == {("deal", deal["id"]): (True, "auto")}
    (told,) = inbox(chloe)
    assert (told["kind"], told["title"]) == ("record_created", "Four à pain")
    assert told["body"] == "Alice Sales a créé cette fiche"
    (owner,) = inbox(bruno, "en")  # the owner, not the creator, hears of it too
    assert owner["body"] == "Alice Sales created this record and put you in charge"
    assert inbox(alice) == []


def test_an_exchange_makes_its_author_and_participants_follow_what_it_is_about(
        people, alice):
    company = CompanyFactory(owner=people.b)
    contact = ContactFactory(owner=people.b)
    deal = DealFactory(company=company, owner=people.b)
    db.session.commit()

    log(alice, company_id=str(company.id), contact_id=str(contact.id), deal_ids=[str(deal.id)],
        participant_ids=[str(people.c.id)])

    expected = {("company", str(company.id)), ("contact", str(contact.id)),
                ("deal", str(deal.id))}
    for user in (people.a, people.c):
        assert rows(user) == dict.fromkeys(expected, (True, "participant"))


def test_an_unfollow_is_never_undone_by_an_automatic_follow(people, alice, bruno, chloe):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    follow(bruno, "company", company.id, following=False)  # its owner, who has heard enough
    follow(chloe, "company", company.id, following=False)

    log(alice, company_id=str(company.id), participant_ids=[str(people.c.id)])
    log(alice, company_id=str(company.id), subject="Encore")

    assert rows(people.c)[("company", str(company.id))] == (False, "manual")
    assert inbox(bruno) == []  # the owner unfollowed: not told of exchanges logged there
    assert [i["kind"] for i in inbox(chloe)] == ["exchange_shared"]  # in person, once


# -- routing ------------------------------------------------------------------------------------

def test_a_follower_hears_of_exchanges_on_what_they_follow(people, alice, chloe, make_auth):
    company = CompanyFactory(name="Cave Dupuis", owner=people.b)
    db.session.commit()
    follow(chloe, "company", company.id)

    log(alice, company_id=str(company.id))

    (item,) = inbox(chloe)
    assert (item["kind"], item["title"]) == ("exchange_logged", "Cave Dupuis")
    assert inbox(make_auth(people.manager)) == []  # not a follower


def test_a_follower_of_won_deals_only_hears_of_wins_not_moves(people, alice, chloe):
    deal = DealFactory(name="Four", owner=people.b, stage="proposal")
    db.session.commit()
    follow(chloe, "deal", deal.id, kinds=["deal_won"])

    moved = alice.patch(f"/api/deals/{deal.id}", json={"version": 1, "stage": "negotiation"})
    log(alice, deal_ids=[str(deal.id)])  # an exchange_logged: not chosen either
    assert inbox(chloe) == []
    alice.patch(f"/api/deals/{deal.id}", json={"version": moved.json["version"],
                                               "stage": "won"})

    (item,) = inbox(chloe)
    assert (item["kind"], item["body"]) == ("deal_won", "Alice Sales · Gagnée")


def test_a_lost_deal_is_told_as_lost(people, alice, bruno):
    deal = DealFactory(owner=people.b, stage="negotiation")
    db.session.commit()

    alice.patch(f"/api/deals/{deal.id}", json={"version": 1, "stage": "lost"})

    assert [(i["kind"], i["body"]) for i in inbox(bruno, "en")] == [
        ("deal_lost", "Alice Sales · Lost")]


def test_a_private_exchange_reaches_no_follower_who_is_not_in_it(app, people, alice, bruno,
                                                                 chloe, push_peer, mail_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    follow(chloe, "company", company.id)
    devices = {}
    for name, auth in (("bruno", bruno), ("chloe", chloe)):
        devices[name], info = push_peer.new_device()
        auth.post("/api/push/subscriptions", json=info)
        auth.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                                "email": {"exchange_logged": True}})

    log(alice, company_id=str(company.id), private=True, participant_ids=[str(people.b.id)],
        subject="Confidentiel", details="Voir avec @Chloé Sales")  # named, yet not in it
    run_jobs(app)

    assert inbox(chloe) == []
    assert [i["kind"] for i in inbox(bruno)] == ["exchange_shared"]
    assert [r.token for r in push_peer.wait_for(1)] == [devices["bruno"].token]
    assert mail_peer.to("chloe@example.fr") == []
    assert len(mail_peer.wait_for(1)) == 1 and len(mail_peer.to("bruno@example.fr")) == 1


def test_inbox_switched_off_keeps_the_push(app, people, alice, bruno, push_peer):
    company = CompanyFactory(owner=people.b)
    db.session.commit()
    device, info = push_peer.new_device()
    bruno.post("/api/push/subscriptions", json=info)
    bruno.put("/api/push/preferences", json={"kinds": {}, "timezone": "Europe/Paris",
                                             "inapp": {"exchange_logged": False}})

    log(alice, company_id=str(company.id))
    run_jobs(app)

    assert inbox(bruno) == [] and bruno.get("/api/notifications/unread-count").json == {
        "count": 0}
    (pushed,) = push_peer.wait_for(1)
    assert pushed.token == device.token and pushed.payload["kind"] == "exchange_logged"
