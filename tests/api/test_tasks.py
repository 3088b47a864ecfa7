"""/api/tasks: give, list, edit, complete, delete; who sees them; who is told."""

from __future__ import annotations

import uuid

import pytest

from app.extensions import db
from app.models import utcnow
from tests.factories import DealFactory, ExchangeFactory, assert_error

FIELDS = {"id", "title", "details", "assignee_id", "created_by", "due_at", "priority", "state",
          "done_at", "company_id", "contact_id", "deal_id", "exchange_id", "version",
          "created_at", "updated_at"}


def give(auth, **fields) -> dict:
    response = auth.post("/api/tasks", json={"title": "Rappeler pour le devis", **fields})
    assert response.status_code == 201, response.get_json()
    return response.json


def inbox(auth, lang: str = "fr") -> list[dict]:
    return auth.get("/api/notifications", headers={"Accept-Language": lang}).json["items"]


def listing(auth, query: str = "") -> list[dict]:
    response = auth.get(f"/api/tasks{query}")
    assert response.status_code == 200, response.get_json()
    return response.json["items"]


def test_a_task_given_to_a_colleague_has_the_contract_fields(people, alice):
    deal = DealFactory(name="Four à sole")
    db.session.commit()

    task = give(alice, assignee_id=str(people.b.id), details="Avec la remise",
                due_at="2026-12-01T09:00:00+01:00", priority="high", deal_id=str(deal.id))

    assert set(task) == FIELDS
    assert task["assignee_id"] == str(people.b.id) and task["created_by"] == str(people.a.id)
    assert task["due_at"] == "2026-12-01T08:00:00Z"
    assert (task["state"], task["priority"], task["done_at"]) == ("open", "high", None)
    assert task["deal_id"] == str(deal.id) and task["version"] == 1


def test_a_task_without_assignee_is_mine(people, alice):
    task = give(alice)

    assert task["assignee_id"] == str(people.a.id)
    assert [t["id"] for t in listing(alice)] == [task["id"]]


def test_who_sees_a_task(people, alice, bruno, chloe, make_auth):
    task = give(alice, assignee_id=str(people.b.id))
    url = f"/api/tasks/{task['id']}"

    assert alice.get(url).status_code == 200
    assert bruno.get(url).status_code == 200
    assert make_auth(people.manager).get(url).status_code == 200
    assert make_auth(people.admin).get(url).status_code == 200
    assert_error(chloe.get(url), 404, "not_found")
    assert_error(chloe.patch(url, json={"version": 1, "title": "x"}), 404)
    assert_error(chloe.delete(url), 404)
    assert listing(chloe, "?scope=created") == [] and listing(chloe) == []


def test_scopes_and_filters(people, alice, bruno, make_auth):
    to_bruno = give(alice, assignee_id=str(people.b.id), due_at="2026-12-01T09:00:00Z")
    mine = give(bruno, due_at="2026-11-25T09:00:00Z")
    bruno.patch(f"/api/tasks/{mine['id']}", json={"version": 1, "state": "done"})

    assert {t["id"] for t in listing(bruno)} == {to_bruno["id"], mine["id"]}
    assert [t["id"] for t in listing(bruno, "?state=open")] == [to_bruno["id"]]
    assert [t["id"] for t in listing(bruno, "?due_before=2026-11-30T00:00:00Z")] == [mine["id"]]
    assert [t["id"] for t in listing(alice, "?scope=created")] == [to_bruno["id"]]
    assert_error(bruno.get("/api/tasks?scope=team"), 403, "forbidden")
    team = listing(make_auth(people.manager), "?scope=team")
    assert {t["id"] for t in team} == {to_bruno["id"], mine["id"]}
    assert_error(bruno.get("/api/tasks?scope=everyone"), 422, "validation_error")


def test_the_list_is_by_due_date_undated_last_in_stable_pages(people, alice):
    dates = ["2026-12-03T09:00:00Z", None, "2026-12-01T09:00:00Z", None,
             "2026-12-02T09:00:00Z"]
    made = [give(alice, title=f"T{i}", due_at=due) for i, due in enumerate(dates)]
    undated = sorted(t["id"] for t in made if t["due_at"] is None)

    seen, cursor = [], None
    while True:
        response = alice.get("/api/tasks?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += response.json["items"]
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
        give(alice, title="ajoutée entre deux pages", due_at="2026-11-01T00:00:00Z")

    assert [t["title"] for t in seen[:3]] == ["T2", "T4", "T0"]
    assert [t["id"] for t in seen[3:]] == undated  # the inserted ones sort before the cursor
    assert_error(alice.get("/api/tasks?cursor=bm9wZQ"), 400, "bad_cursor")


def test_done_sets_done_at_and_reopening_clears_it(people, alice):
    task = give(alice)
    url = f"/api/tasks/{task['id']}"

    done = alice.patch(url, json={"version": 1, "state": "done"}).json
    assert done["done_at"] is not None and done["version"] == 2
    reopened = alice.patch(url, json={"version": 2, "state": "open"}).json
    assert reopened["done_at"] is None and reopened["state"] == "open"
    cancelled = alice.patch(url, json={"version": 3, "state": "cancelled"}).json
    assert cancelled["done_at"] is None


def test_a_stale_edit_is_409_with_the_current_task(people, alice, bruno):
    task = give(alice, assignee_id=str(people.b.id))
    url = f"/api/tasks/{task['id']}"
    assert bruno.patch(url, json={"version": 1, "title": "Nouveau titre"}).status_code == 200

    response = alice.patch(url, json={"version": 1, "priority": "low"})

    assert_error(response, 409, "version_conflict")
    assert response.json["current"]["title"] == "Nouveau titre"
    assert response.json["current"]["version"] == 2


def test_a_create_replayed_with_its_id_is_200_and_a_different_payload_409(people, alice, bruno):
    task_id = str(uuid.uuid4())
    body = {"id": task_id, "title": "Envoyer la doc", "assignee_id": str(people.b.id),
            "due_at": "2026-12-01T09:00:00Z"}

    first = alice.post("/api/tasks", json=body)
    again = alice.post("/api/tasks", json=body)
    other = alice.post("/api/tasks", json={**body, "title": "Autre chose"})

    assert first.status_code == 201 and again.status_code == 200
    assert again.json == first.json
    assert_error(other, 409, "id_conflict")
    assert len(inbox(bruno)) == 1  # the replay tells nobody again


def test_a_hidden_task_id_is_not_confirmed(people, alice, chloe):
    task = give(alice, assignee_id=str(people.b.id))

    response = chloe.post("/api/tasks", json={"id": task["id"], "title": "x"})

    assert_error(response, 404, "not_found")


def test_references_must_exist_and_the_assignee_be_active(people, alice, db_state):
    gone = DealFactory(deleted_at=utcnow())
    people.c.active = False
    db.session.commit()
    before = db_state()

    cases = {"assignee_id": str(people.c.id), "company_id": str(uuid.uuid4()),
             "deal_id": str(gone.id), "contact_id": str(uuid.uuid4()),
             "exchange_id": str(uuid.uuid4())}
    for field, value in cases.items():
        error = assert_error(alice.post("/api/tasks", json={"title": "x", field: value}), 422,
                             "validation_error")
        assert set(error["fields"]) == {field}

    assert db_state() == before


def test_a_private_exchange_i_cannot_see_cannot_be_linked(people, alice, bruno):
    secret = ExchangeFactory(created_by=people.b, private=True, subject="Zanzibar")
    db.session.commit()

    refused = alice.post("/api/tasks", json={"title": "x", "exchange_id": str(secret.id)})
    mine = give(bruno, exchange_id=str(secret.id), assignee_id=str(people.a.id))

    error = assert_error(refused, 422, "validation_error")
    assert error["fields"] == {"exchange_id": ["No such record."]}
    assert mine["exchange_id"] == str(secret.id)  # its author links it
    # The assignee may not see the exchange: the task reaches her without naming it.
    assert alice.get(f"/api/tasks/{mine['id']}").json["exchange_id"] is None
    assert listing(alice)[0]["exchange_id"] is None
    assert "Zanzibar" not in str(inbox(alice))


def test_only_the_creator_or_a_manager_deletes(people, alice, bruno, make_auth):
    task = give(alice, assignee_id=str(people.b.id))
    other = give(alice, assignee_id=str(people.b.id))

    assert_error(bruno.delete(f"/api/tasks/{task['id']}"), 403, "forbidden")
    assert alice.delete(f"/api/tasks/{task['id']}").status_code == 204
    assert make_auth(people.manager).delete(f"/api/tasks/{other['id']}").status_code == 204
    assert_error(alice.get(f"/api/tasks/{task['id']}"), 404)
    assert listing(bruno) == []


def test_giving_a_task_tells_the_assignee(people, alice, bruno):
    deal = DealFactory(name="Four à sole")
    db.session.commit()

    task = give(alice, title="Préparer la visite", assignee_id=str(people.b.id),
                due_at="2026-12-01T23:30:00Z", deal_id=str(deal.id))

    (item,) = inbox(bruno)
    assert item["kind"] == "task_assigned" and item["title"] == "Préparer la visite"
    # Due the 2nd in Paris, where Bruno lives.
    assert item["body"] == "Alice Sales vous confie cette tâche · échéance le 02/12/2026"
    assert inbox(bruno, "en")[0]["body"] == "Alice Sales gave you this task · due 2026-12-02"
    assert item["url"] == f"/#/deals/{deal.id}"
    assert item["record"] == {"type": "task", "id": task["id"]}
    assert inbox(alice) == []


def test_a_task_for_myself_tells_nobody_and_without_record_leads_to_the_list(people, alice,
                                                                               bruno):
    give(alice)
    give(alice, assignee_id=str(people.b.id))

    assert inbox(alice) == []
    assert inbox(bruno)[0]["url"] == "/#/tasks"


def test_reassigning_tells_the_new_assignee_only(people, alice, bruno, chloe):
    task = give(alice, assignee_id=str(people.b.id))

    bruno.patch(f"/api/tasks/{task['id']}", json={"version": 1, "assignee_id": str(people.c.id)})
    bruno.patch(f"/api/tasks/{task['id']}", json={"version": 2, "title": "Renommée"})

    assert [i["kind"] for i in inbox(chloe)] == ["task_assigned"]
    assert inbox(chloe)[0]["body"].startswith("Bruno Sales")
    assert len(inbox(bruno)) == 1  # the first assignment only
    assert_error(bruno.get(f"/api/tasks/{task['id']}"), 404)  # no longer his


def test_completing_tells_the_creator_unless_they_did_it(people, alice, bruno):
    task = give(alice, title="Relancer la facture", assignee_id=str(people.b.id))
    own = give(alice, title="La mienne", assignee_id=str(people.b.id))

    bruno.patch(f"/api/tasks/{task['id']}", json={"version": 1, "state": "done"})
    alice.patch(f"/api/tasks/{own['id']}", json={"version": 1, "state": "done"})

    (item,) = inbox(alice)
    assert item["kind"] == "task_done" and item["title"] == "Relancer la facture"
    assert item["body"] == "Bruno Sales a terminé cette tâche"
    assert inbox(alice, "en")[0]["body"] == "Bruno Sales completed this task"


def test_a_refused_edit_tells_nobody(people, alice, bruno):
    task = give(alice, assignee_id=str(people.b.id))

    response = bruno.patch(f"/api/tasks/{task['id']}", json={
        "version": 1, "state": "done", "company_id": str(uuid.uuid4())})

    assert response.status_code == 422
    assert inbox(alice) == []


@pytest.mark.parametrize("field,value", [("priority", "urgent"), ("state", "finished"),
                                         ("title", ""), ("title", None), ("assignee_id", None),
                                         ("due_at", "demain")])
def test_bad_fields_are_422(alice, field, value):
    response = alice.post("/api/tasks", json={"title": "x", field: value})

    assert set(assert_error(response, 422, "validation_error")["fields"]) == {field}
