"""@mentions in the quick log: "@" and a few letters offer matching colleagues (accents and case
ignored), a tap writes "@Prénom Nom ", and the colleague named gets a `mentioned` notification."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.offline import login, wait_synced
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_mention_is_suggested_inserted_and_tells_the_colleague(page, people, make_auth):
    UserFactory(name="Charles Inactif", email="charles@example.fr", active=False)
    company = CompanyFactory(name="Dupont SARL", owner=people.b)
    chloe = make_auth(people.c)
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto(f"/#/companies/{company.id}")
    page.get_by_role("button", name="Consigner", exact=True).tap()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Appel", exact=True).tap()
    details = dialog.get_by_label("Détails (facultatif)")
    details.press_sequentially("Voir le devis avec @ch")
    options = dialog.get_by_role("option")
    expect(options).to_have_text(["@Chloé Sales"])  # not Charles: inactive; not me
    details.press_sequentially("x")  # "@chx": no name has a word starting so
    expect(options).to_have_count(0)
    details.press("Backspace")
    expect(options).to_have_text(["@Chloé Sales"])
    options.first.tap()
    expect(details).to_have_value("Voir le devis avec @Chloé Sales ")
    expect(options).to_have_count(0)
    expect(details).to_be_focused()
    details.press_sequentially("demain.")
    expect(details).to_have_value("Voir le devis avec @Chloé Sales demain.")

    details.press_sequentially(" Et @alice")  # keyboard: Enter picks the highlighted one
    expect(options).to_have_text(["@Alice Sales"])
    details.press("Enter")
    expect(details).to_have_value("Voir le devis avec @Chloé Sales demain. Et @Alice Sales ")
    dialog.get_by_role("button", name="Enregistrer", exact=True).tap()
    expect(page.get_by_role("dialog")).to_have_count(0)
    deadline = time.monotonic() + 15
    while not (items := chloe.get("/api/notifications").get_json()["items"]):
        assert time.monotonic() < deadline, "the exchange never reached the server"
        page.wait_for_timeout(100)
    mentioned = [n for n in items if n["kind"] == "mentioned"]
    assert len(mentioned) == 1, items
    assert "Dupont SARL" in mentioned[0]["title"] + (mentioned[0]["body"] or "")
    alice_items = make_auth(people.a).get("/api/notifications").get_json()["items"]
    assert [n["kind"] for n in alice_items] == ["mentioned"]
