"""Tasks through sync: pulled by those who may see them, written through the outbox."""

from __future__ import annotations

import uuid

from app.extensions import db
from tests.factories import ExchangeFactory

CLIENT = "5a1e2d3c-4b5a-4697-8877-665544332211"


def pull(auth, since: str = "0") -> tuple[dict, str]:
    """{(entity, id): change} after `since`, and the next cursor."""
    found = {}
    while True:
        body = auth.get(f"/api/sync/changes?since={since}&limit=50").json
        found |= {(c["entity"], c["id"]): c for c in body["changes"]}
        since = body["cursor"]
        if not body["has_more"]:
            return found, since


def push(auth, *mutations, client: str = CLIENT) -> list[dict]:
    batch = [{"seq": i + 1, **m} for i, m in enumerate(mutations)]
    response = auth.post("/api/sync/push", json={"client_id": client, "mutations": batch})
    assert response.status_code == 200, response.get_json()
    return response.json["results"]


def test_a_task_reaches_its_people_and_managers_only(people, alice, bruno, chloe, make_auth):
    task = alice.post("/api/tasks", json={"title": "Envoyer la doc",
                                          "assignee_id": str(people.b.id)}).json
    key = ("task", task["id"])

    for helper in (alice, bruno, make_auth(people.manager), make_auth(people.admin)):
        change = pull(helper)[0][key]
        assert change["op"] == "upsert" and change["data"]["title"] == "Envoyer la doc"
        assert change["data"]["assignee_id"] == str(people.b.id)
    assert key not in pull(chloe)[0]


def test_a_reassigned_task_is_deleted_from_the_former_assignee(people, alice, bruno, chloe):
    task = alice.post("/api/tasks", json={"title": "Relancer",
                                          "assignee_id": str(people.b.id)}).json
    _, bruno_cursor = pull(bruno)
    _, chloe_cursor = pull(chloe)

    alice.patch(f"/api/tasks/{task['id']}", json={"version": 1, "assignee_id": str(people.c.id)})

    assert pull(bruno, bruno_cursor)[0][("task", task["id"])] == {
        "entity": "task", "id": task["id"], "op": "delete", "data": None}
    assert pull(chloe, chloe_cursor)[0][("task", task["id"])]["op"] == "upsert"


def test_create_update_delete_through_the_outbox(people, alice, bruno):
    task_id = str(uuid.uuid4())

    results = push(alice,
                   {"entity": "task", "op": "create", "id": task_id,
                    "data": {"title": "Préparer la visite", "assignee_id": str(people.b.id),
                             "due_at": "2026-12-01T09:00:00Z"}},
                   {"entity": "task", "op": "update", "id": task_id, "base_version": 1,
                    "data": {"priority": "high"}},
                   {"entity": "task", "op": "update", "id": task_id, "base_version": 1,
                    "data": {"title": "Trop tard"}})

    assert [r["status"] for r in results] == ["applied", "applied", "conflict"]
    assert results[1]["data"]["priority"] == "high" and results[1]["data"]["version"] == 2
    assert results[2]["current"]["title"] == "Préparer la visite"
    # The assignee hears once, of the task as it stands at the end of the batch.
    notes = bruno.get("/api/notifications").json["items"]
    assert [n["kind"] for n in notes] == ["task_assigned"]

    done = push(bruno, {"entity": "task", "op": "update", "id": task_id, "base_version": 2,
                        "data": {"state": "done"}}, client=str(uuid.uuid4()))
    assert done[0]["status"] == "applied" and done[0]["data"]["done_at"] is not None
    assert [n["kind"] for n in alice.get("/api/notifications").json["items"]] == ["task_done"]

    gone = push(alice, {"entity": "task", "op": "delete", "id": task_id},
                client=str(uuid.uuid4()))
    assert gone[0]["status"] == "applied"
    assert bruno.get(f"/api/tasks/{task_id}").status_code == 404


def test_bad_task_data_is_rejected_alone(people, alice):
    results = push(alice,
                   {"entity": "task", "op": "create", "id": str(uuid.uuid4()),
                    "data": {"title": "", "priority": "urgent"}},
                   {"entity": "task", "op": "create", "id": str(uuid.uuid4()),
                    "data": {"title": "Bonne"}})

    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert set(results[0]["error"]["fields"]) == {"title", "priority"}


def test_an_outsider_cannot_touch_a_task_through_the_outbox(people, alice, chloe):
    task = alice.post("/api/tasks", json={"title": "À moi",
                                          "assignee_id": str(people.b.id)}).json

    results = push(chloe,
                   {"entity": "task", "op": "update", "id": task["id"], "base_version": 1,
                    "data": {"title": "Piratée"}},
                   {"entity": "task", "op": "create", "id": task["id"],
                    "data": {"title": "À moi"}})

    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert all(r["error"]["code"] == "not_found" for r in results)
    assert "current" not in results[0]
    assert alice.get(f"/api/tasks/{task['id']}").json["title"] == "À moi"


def test_a_linked_private_exchange_is_named_only_to_its_people(people, alice, bruno,
                                                                make_auth):
    secret = ExchangeFactory(created_by=people.a, private=True, subject="Zanzibar")
    db.session.commit()
    task = alice.post("/api/tasks", json={"title": "Suite du rendez-vous",
                                          "assignee_id": str(people.b.id),
                                          "exchange_id": str(secret.id)}).json

    key = ("task", task["id"])
    assert pull(alice)[0][key]["data"]["exchange_id"] == str(secret.id)
    assert pull(bruno)[0][key]["data"]["exchange_id"] is None
    manager_view = pull(make_auth(people.manager))[0]
    assert manager_view[key]["data"]["exchange_id"] is None
    assert ("exchange", str(secret.id)) not in manager_view


def test_a_linked_exchange_made_private_is_unnamed_on_the_next_pull(people, alice, bruno):
    shared = alice.post("/api/exchanges", json={"kind": "visit", "subject": "Chantier",
                                                "starts_at": "2026-11-20T09:00:00Z"}).json
    task = alice.post("/api/tasks", json={"title": "Suite de la visite",
                                          "assignee_id": str(people.b.id),
                                          "exchange_id": shared["id"]}).json
    seen, cursor = pull(bruno)
    assert seen[("task", task["id"])]["data"]["exchange_id"] == shared["id"]

    alice.patch(f"/api/exchanges/{shared['id']}", json={"version": shared["version"],
                                                       "private": True})
    after, _ = pull(bruno, cursor)

    assert after[("task", task["id"])]["data"]["exchange_id"] is None
    assert after[("exchange", shared["id"])]["op"] == "delete"
