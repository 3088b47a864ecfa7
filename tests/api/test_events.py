"""Timeline events: written at commit, listed newest first in the caller's language, synced,
and never telling of a private exchange to whoever may not see it."""

from __future__ import annotations

import uuid

from app.extensions import db
from app.services.events import add_event
from tests.factories import CompanyFactory, DealFactory, ExchangeFactory, assert_error


def events(auth, path: str, lang: str = "fr", **query) -> dict:
    response = auth.get(f"/api/{path}/events", headers={"Accept-Language": lang},
                        query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.json


def pull_all(auth, since: str = "0") -> tuple[list[dict], str]:
    """Every change since the cursor, as a device pulls them; and the last cursor."""
    changes = []
    while True:
        body = auth.get(f"/api/sync/changes?since={since}").json
        changes += body["changes"]
        since = body["cursor"]
        if not body["has_more"]:
            return changes, since


def test_a_deal_tells_its_story_newest_first(people, alice, make_auth):
    company = CompanyFactory(owner=people.a)
    db.session.commit()
    deal = alice.post("/api/deals", json={"name": "Four à sole", "company_id": str(company.id),
                                          "stage": "proposal"}).json
    moved = alice.patch(f"/api/deals/{deal['id']}", json={"version": deal["version"],
                                                          "stage": "negotiation"}).json
    manager = make_auth(people.manager)  # a manager may hand a deal over
    won = manager.patch(f"/api/deals/{deal['id']}", json={"version": moved["version"],
                                                         "stage": "won",
                                                         "owner_id": str(people.b.id)}).json

    items = events(alice, f"deals/{deal['id']}")["items"]

    story = [(i["kind"], i["title"], i["body"]) for i in items]
    assert set(story[:2]) == {  # one edit, two facts
        ("deal_won", "Affaire gagnée", "Négociation → Gagnée, par Marc Manager"),
        ("owner_changed", "Interlocuteur principal : Bruno Sales", "par Marc Manager")}
    assert story[2:] == [
        ("deal_stage_changed", "Étape : Négociation", "Proposition → Négociation, par Alice Sales"),
        ("record_created", "Fiche créée", "par Alice Sales"),
    ]
    first = items[-1]
    assert set(first) == {"id", "record_type", "record_id", "kind", "title", "body",
                          "actor_id", "exchange_id", "at"}
    assert (first["record_type"], first["record_id"]) == ("deal", deal["id"])
    assert first["actor_id"] == str(people.a.id) and first["exchange_id"] is None
    english = events(alice, f"deals/{deal['id']}", "en")["items"]
    assert english[-1]["title"] == "Record created"
    assert won["stage"] == "won"


def test_a_batch_that_moves_a_deal_and_back_leaves_no_event(people, alice):
    deal = DealFactory(owner=people.a, stage="prospecting")
    db.session.commit()
    batch = [{"seq": 1, "entity": "deal", "op": "update", "id": str(deal.id), "base_version": 1,
              "data": {"stage": "proposal"}},
             {"seq": 2, "entity": "deal", "op": "update", "id": str(deal.id), "base_version": 2,
              "data": {"stage": "prospecting"}}]

    alice.post("/api/sync/push", json={"client_id": str(uuid.uuid4()), "mutations": batch})

    assert events(alice, f"deals/{deal.id}")["items"] == []


def test_pages_are_stable(people, alice):
    company = CompanyFactory(owner=people.a)
    db.session.commit()
    for n in range(5):
        add_event(db.session, "company", company.id, "note", {"fr": {"title": f"n{n}",
                                                                     "body": ""}}, None)
        db.session.commit()

    first = events(alice, f"companies/{company.id}", limit=2)
    second = events(alice, f"companies/{company.id}", limit=2, cursor=first["next_cursor"])
    third = events(alice, f"companies/{company.id}", limit=2, cursor=second["next_cursor"])

    titles = [i["title"] for page in (first, second, third) for i in page["items"]]
    assert titles == ["n4", "n3", "n2", "n1", "n0"] and third["next_cursor"] is None


def test_unknown_or_deleted_records_and_bad_queries(people, alice):
    company = CompanyFactory(owner=people.a)
    live = CompanyFactory(owner=people.a)
    db.session.commit()
    assert alice.delete(f"/api/companies/{company.id}").status_code == 204

    assert_error(alice.get(f"/api/companies/{company.id}/events"), 404, "not_found")
    assert_error(alice.get(f"/api/deals/{uuid.uuid4()}/events"), 404, "not_found")
    assert_error(alice.get(f"/api/contacts/{uuid.uuid4()}/events?limit=0"), 422)
    assert_error(alice.get(f"/api/companies/{live.id}/events?cursor=%%"), 400)


def test_an_event_about_a_private_exchange_is_seen_by_its_people_only(people, alice, bruno,
                                                                      chloe):
    company = CompanyFactory(owner=people.a)
    secret = ExchangeFactory(created_by=people.a, company=company, private=True,
                             participants=[people.c])
    db.session.commit()
    add_event(db.session, "company", company.id, "task_assigned",
              {"fr": {"title": "Tâche confiée", "body": "Suite du rendez-vous"}}, people.a.id,
              exchange_id=secret.id)
    db.session.commit()
    _, bruno_cursor = pull_all(bruno)

    assert events(bruno, f"companies/{company.id}")["items"] == []
    assert [i["kind"] for i in events(chloe, f"companies/{company.id}")["items"]] == [
        "task_assigned"]
    assert [c["entity"] for c in pull_all(bruno)[0]].count("record_event") == 0
    synced = [c for c in pull_all(chloe)[0] if c["entity"] == "record_event"]
    assert synced[0]["data"]["texts"]["fr"]["title"] == "Tâche confiée"

    # Made public: Bruno's device now gets it; private again: told to drop it.
    opened = alice.patch(f"/api/exchanges/{secret.id}", json={"version": 1, "private": False})
    changes, bruno_cursor2 = pull_all(bruno, bruno_cursor)
    assert [(c["entity"], c["op"]) for c in changes if c["entity"] == "record_event"] == [
        ("record_event", "upsert")]
    alice.patch(f"/api/exchanges/{secret.id}", json={"version": opened.json["version"],
                                                     "private": True})
    changes, _ = pull_all(bruno, bruno_cursor2)
    assert [(c["entity"], c["op"]) for c in changes if c["entity"] == "record_event"] == [
        ("record_event", "delete")]



def test_a_task_shows_on_its_record_as_who_handed_it_to_whom_not_what_it_says(people, alice,
                                                                               bruno, chloe):
    deal = DealFactory(company=CompanyFactory(owner=people.a))
    db.session.commit()
    task = alice.post("/api/tasks", json={"title": "Négocier la remise secrète",
                                          "assignee_id": str(people.b.id),
                                          "deal_id": str(deal.id)}).json
    bruno.patch(f"/api/tasks/{task['id']}", json={"version": task["version"], "state": "done"})

    seen = events(chloe, f"deals/{deal.id}")["items"]  # a colleague outside the task
    assert [e["kind"] for e in seen][:2] == ["task_done", "task_assigned"]
    assert seen[1]["body"] == f"{people.a.name} → {people.b.name}"
    assert all("remise" not in e["title"] + e["body"] for e in seen)


def test_a_task_kept_for_oneself_shows_one_name(people, alice):
    deal = DealFactory(company=CompanyFactory(owner=people.a))
    db.session.commit()
    alice.post("/api/tasks", json={"title": "Relire le contrat", "assignee_id": str(people.a.id),
                                   "deal_id": str(deal.id)})

    (event,) = events(alice, f"deals/{deal.id}")["items"]
    assert (event["kind"], event["body"]) == ("task_assigned", people.a.name)
