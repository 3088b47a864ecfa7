"""Tasks in the PWA: "Transmettre une consigne" offline from a company page reaches the colleague
(with a task_assigned notification) once back online; "Mes tâches" on the home screen lists my
open tasks, overdue first; a task is marked done (and reopened) through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.offline import login, wait_synced
from tests.browser.test_push_sw import poll
from tests.factories import CompanyFactory

pytestmark = pytest.mark.browser


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_a_task_handed_offline_reaches_the_colleague_once_online(page, people, make_auth):
    company = CompanyFactory(name="Dupont SARL", owner_id=people.b.id)
    alice = make_auth(people.a)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto(f"/#/companies/{company.id}")
    expect(page.get_by_role("heading", level=1, name="Dupont SARL")).to_be_visible()

    page.context.set_offline(True)
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne")
    page.get_by_role("button", name="Transmettre une consigne").tap()
    sheet = page.get_by_role("dialog", name="Transmettre une consigne")
    expect(sheet).to_contain_text("Dupont SARL")
    sheet.get_by_role("button", name="Transmettre", exact=True).tap()  # nothing filled yet
    expect(sheet.get_by_text("Champ obligatoire.")).to_have_count(2)
    sheet.get_by_label("Consigne").fill("Rappeler M. Dupont pour le devis")
    sheet.get_by_label("Confiée à").select_option(label="Alice Sales")
    due = (datetime.now() + timedelta(days=2)).date()
    sheet.get_by_label("Échéance (facultatif)").fill(due.isoformat())
    sheet.get_by_role("button", name="Haute").tap()
    sheet.get_by_label("Détails (facultatif)").fill("Il attend la remise de 5 %.")
    sheet.get_by_role("button", name="Transmettre", exact=True).tap()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 1 en attente")

    # Offline, the list of tasks I gave shows it, marked as waiting.
    page.goto("/#/tasks?scope=created")
    card = page.get_by_test_id("task-card").filter(has_text="Rappeler M. Dupont")
    expect(card).to_contain_text("pour Alice Sales")
    expect(card).to_contain_text("Haute")
    expect(card.get_by_test_id("pending-mark")).to_be_visible()
    assert alice.get("/api/tasks").get_json()["items"] == []

    page.context.set_offline(False)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé", timeout=20_000)
    expect(card.get_by_test_id("pending-mark")).to_have_count(0)
    [task] = alice.get("/api/tasks").get_json()["items"]
    assert (task["title"], task["assignee_id"], task["created_by"], task["priority"],
            task["company_id"], task["details"]) == (
        "Rappeler M. Dupont pour le devis", str(people.a.id), str(people.b.id), "high",
        str(company.id), "Il attend la remise de 5 %.")
    due_at = datetime.fromisoformat(task["due_at"].replace("Z", "+00:00")).astimezone()
    assert (due_at.date(), due_at.hour) == (due, 18)  # the day picked, end of the working day
    notices = [n for n in alice.get("/api/notifications").get_json()["items"]
               if n["kind"] == "task_assigned"]
    assert len(notices) == 1
    assert make_auth(people.b).get("/api/tasks?scope=created").get_json()["items"][0]["id"] \
        == task["id"]  # sent once


def test_my_tasks_on_the_home_screen_and_marking_one_done(page, people, make_auth):
    company = CompanyFactory(name="Dupont SARL", owner_id=people.b.id)
    alice = make_auth(people.a)
    now = datetime.now(UTC)
    later = alice.post("/api/tasks", json={
        "title": "Envoyer le catalogue", "assignee_id": str(people.b.id),
        "due_at": iso(now + timedelta(days=3))}).get_json()
    late = alice.post("/api/tasks", json={
        "title": "Relancer la facture", "assignee_id": str(people.b.id), "priority": "high",
        "due_at": iso(now - timedelta(days=1)), "company_id": str(company.id)}).get_json()
    alice.post("/api/tasks", json={"title": "Pas pour Bruno", "assignee_id": str(people.c.id)})
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)

    section = page.get_by_test_id("home-tasks")
    cards = section.get_by_test_id("task-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Relancer la facture")  # overdue first
    expect(cards.nth(0)).to_contain_text("En retard")
    expect(cards.nth(0)).to_contain_text("Dupont SARL · de Alice Sales")
    expect(cards.nth(1)).to_contain_text("Envoyer le catalogue")
    expect(page.get_by_role("heading", name="Mes tâches (2)")).to_be_visible()

    cards.nth(0).tap()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/tasks/{late['id']}")
    expect(page.get_by_role("heading", level=1, name="Relancer la facture")).to_be_visible()
    expect(page.get_by_test_id("task-record")).to_have_text("Dupont SARL")
    page.get_by_role("button", name="Marquer comme faite").tap()
    expect(page.get_by_test_id("task-state")).to_have_text("Faite")
    server = poll(lambda: alice.get(f"/api/tasks/{late['id']}").get_json(),
                  lambda task: task["state"] == "done")
    assert (server["state"], server["version"]) == ("done", late["version"] + 1)
    assert server["done_at"]
    inbox = alice.get("/api/notifications").get_json()["items"]
    assert any(n["kind"] == "task_done" for n in inbox)

    page.get_by_test_id("back").tap()  # home, where it came from: no longer among my tasks
    expect(page.get_by_test_id("home-tasks").get_by_test_id("task-card")).to_have_count(1)
    page.get_by_test_id("open-tasks").tap()
    expect(page.get_by_test_id("tasks-done").get_by_test_id("task-card")).to_contain_text(
        "Relancer la facture")
    page.get_by_test_id("tasks-done").get_by_test_id("task-card").tap()
    page.get_by_role("button", name="Rouvrir").tap()
    expect(page.get_by_test_id("task-state")).to_have_text("À faire")
    poll(lambda: alice.get(f"/api/tasks/{late['id']}").get_json()["state"], "open".__eq__)
    page.goto("/")
    expect(page.get_by_test_id("home-tasks").get_by_test_id("task-card")).to_have_count(2)
    assert later["id"]


def test_a_task_from_an_exchange_card(page, people, make_auth):
    company = CompanyFactory(name="Dupont SARL", owner_id=people.b.id)
    bruno = make_auth(people.b)
    exchange = bruno.post("/api/exchanges", json={
        "kind": "call", "state": "done", "subject": "Appel devis", "company_id": str(company.id),
        "starts_at": iso(datetime.now(UTC) - timedelta(hours=1))}).get_json()
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto(f"/#/companies/{company.id}")
    item = page.get_by_test_id("timeline-item").filter(has_text="Appel devis")
    item.get_by_role("button", name="Transmettre une consigne").tap()
    sheet = page.get_by_role("dialog", name="Transmettre une consigne")
    expect(sheet).to_contain_text("Appel devis")
    sheet.get_by_label("Consigne").fill("Préparer le devis")
    sheet.get_by_label("Confiée à").select_option(label="Chloé Sales")
    sheet.get_by_role("button", name="Transmettre", exact=True).tap()
    expect(page.get_by_role("dialog")).to_have_count(0)
    chloe = make_auth(people.c)
    [task] = poll(lambda: chloe.get("/api/tasks").get_json()["items"], bool)
    assert (task["title"], task["exchange_id"], task["company_id"], task["priority"]) == (
        "Préparer le devis", exchange["id"], str(company.id), "normal")
