"""A deal edited offline: stage and amount reach the server, French decimals included."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.offline import login, wait_synced
from tests.factories import CompanyFactory, DealFactory, UserFactory

pytestmark = pytest.mark.browser


def test_deal_edited_offline(page, live_server):
    user = UserFactory(email="vendeur@example.fr")
    deal = DealFactory(name="Copieurs 2027", company=CompanyFactory(name="Dupont SARL"),
                       stage="proposal", probability=50, owner_id=user.id)
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    page.context.set_offline(True)
    page.goto(f"/#/deals/{deal.id}")
    page.get_by_test_id("record-edit").tap()
    page.get_by_label("Étape").select_option("negotiation")
    page.get_by_label("Montant").fill("12 500,50")
    page.get_by_label("Signature prévue").fill("2027-03-31")
    page.get_by_test_id("edit-save").tap()
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 1 en attente")
    expect(page.locator("main")).to_contain_text("Négociation")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 15
    while (server := page.request.get(f"/api/deals/{deal.id}").json())["version"] == 1:
        assert time.monotonic() < deadline, "the edit never reached the server"
        page.wait_for_timeout(100)
    assert (server["stage"], server["amount"], server["probability"],
            server["expected_close_date"]) == ("negotiation", "12500.50", 80, "2027-03-31")
