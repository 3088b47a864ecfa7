"""Notices of a deal moving on and of a record changing hands: to whom, once, in the inbox."""

from __future__ import annotations

import uuid

from app.extensions import db
from tests.factories import CompanyFactory, ContactFactory, DealFactory


def inbox(auth, lang: str = "fr") -> list[dict]:
    return auth.get("/api/notifications", headers={"Accept-Language": lang}).json["items"]


def test_a_colleague_winning_my_deal_tells_me(people, alice, bruno):
    deal = DealFactory(name="Four à sole", owner=people.b, stage="negotiation")
    db.session.commit()

    moved = alice.patch(f"/api/deals/{deal.id}", json={"version": deal.version, "stage": "won"})

    assert moved.status_code == 200
    (item,) = inbox(bruno)
    assert item["kind"] == "deal_won" and item["title"] == "Four à sole"  # not a mere stage move
    assert item["body"] == "Alice Sales · Gagnée"
    assert inbox(bruno, "en")[0]["body"] == "Alice Sales · Won"
    assert item["url"] == f"/#/deals/{deal.id}"


def test_moving_my_own_deal_or_editing_other_fields_tells_nobody(people, alice, bruno):
    mine = DealFactory(owner=people.b, stage="proposal")
    theirs = DealFactory(owner=people.b, stage="proposal")
    db.session.commit()

    bruno.patch(f"/api/deals/{mine.id}", json={"version": mine.version, "stage": "won"})
    alice.patch(f"/api/deals/{theirs.id}", json={"version": theirs.version, "name": "Renommée"})

    assert inbox(bruno) == []


def test_reassigning_a_company_or_contact_tells_the_new_owner(people, alice, bruno, chloe):
    company = CompanyFactory(name="Garage Lenoir", owner=people.a)
    contact = ContactFactory(first_name="Inès", last_name="Roux", owner=people.b)
    db.session.commit()

    alice.patch(f"/api/companies/{company.id}", json={"version": company.version,
                                                      "owner_id": str(people.c.id)})
    assert alice.patch(f"/api/contacts/{contact.id}", json={
        "version": contact.version, "owner_id": str(people.c.id)}).status_code == 403
    bruno.patch(f"/api/contacts/{contact.id}", json={"version": contact.version,
                                                     "owner_id": str(people.c.id)})

    items = inbox(chloe)
    assert [(i["kind"], i["title"]) for i in items] == [("owner_changed", "Inès Roux"),
                                                       ("owner_changed", "Garage Lenoir")]
    assert items[0]["body"] == "Bruno Sales vous a confié cette fiche"
    assert items[1]["body"] == "Alice Sales vous a confié cette fiche"
    assert inbox(alice) == []  # the previous owner is not told in this version


def test_a_sync_batch_tells_the_final_stage_once_and_a_round_trip_nothing(people, alice, bruno):
    moved, back = DealFactory(owner=people.b, stage="prospecting"), DealFactory(
        owner=people.b, stage="prospecting")
    db.session.commit()

    def update(seq, deal, version, stage):
        return {"seq": seq, "entity": "deal", "op": "update", "id": str(deal.id),
                "base_version": version, "data": {"stage": stage}}

    batch = [update(1, moved, 1, "proposal"), update(2, moved, 2, "negotiation"),
             update(3, back, 1, "proposal"), update(4, back, 2, "prospecting")]
    response = alice.post("/api/sync/push", json={"client_id": str(uuid.uuid4()),
                                                   "mutations": batch})

    assert [r["status"] for r in response.json["results"]] == ["applied"] * 4
    (item,) = inbox(bruno)
    assert item["body"] == "Alice Sales · Négociation"
    assert item["record"] == {"type": "deal", "id": str(moved.id)}
