"""Who may hand a record to someone else: its owner or a manager; anyone may take up a record
nobody is in charge of. Otherwise a salesperson could take a colleague's company and then
delete it, a right reserved to its owner and managers."""

from __future__ import annotations

import uuid

import pytest

from app.extensions import db
from app.models import Company, Contact, Deal
from tests.factories import CompanyFactory, ContactFactory, DealFactory

KINDS = [("companies", "company", CompanyFactory, Company),
         ("contacts", "contact", ContactFactory, Contact),
         ("deals", "deal", DealFactory, Deal)]


@pytest.mark.parametrize(("path", "entity", "factory", "model"), KINDS)
def test_a_colleague_can_neither_take_nor_then_delete_a_record(people, alice, bruno, path,
                                                               entity, factory, model):
    record = factory(owner=people.a)
    db.session.commit()

    taken = bruno.patch(f"/api/{path}/{record.id}",
                        json={"version": record.version, "owner_id": str(people.b.id)})
    assert taken.status_code == 403 and taken.json["error"]["code"] == "forbidden"
    assert set(taken.json["error"]["fields"]) == {"owner_id"}
    assert bruno.delete(f"/api/{path}/{record.id}").status_code == 403
    # The same through the outbox: a rejected mutation, nothing changed.
    answer = bruno.post("/api/sync/push", json={"client_id": str(uuid.uuid4()), "mutations": [
        {"seq": 1, "entity": entity, "op": "update", "id": str(record.id),
         "base_version": record.version, "data": {"owner_id": str(people.b.id)}}]}).json
    assert answer["results"][0]["status"] == "rejected"
    db.session.rollback()
    stored = db.session.get(model, record.id)
    assert stored.owner_id == people.a.id and stored.deleted_at is None


@pytest.mark.parametrize(("path", "entity", "factory", "model"), KINDS)
def test_the_owner_and_managers_hand_over_and_anyone_takes_up_an_unowned_one(
        people, alice, bruno, make_auth, path, entity, factory, model):
    mine, theirs, nobodys = factory(owner=people.a), factory(owner=people.c), factory(owner=None)
    db.session.commit()
    manager = make_auth(people.manager)

    def hand(auth, record, to) -> int:
        current = auth.get(f"/api/{path}/{record.id}").json
        return auth.patch(f"/api/{path}/{record.id}", json={
            "version": current["version"], "owner_id": str(to.id)}).status_code

    assert hand(alice, mine, people.b) == 200  # the owner hands it over
    assert hand(manager, theirs, people.a) == 200  # a manager reassigns
    assert hand(bruno, nobodys, people.b) == 200  # nobody's: anyone may take it up
    assert hand(alice, nobodys, people.a) == 403  # ...after which it is Bruno's
