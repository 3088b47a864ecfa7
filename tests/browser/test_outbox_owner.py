"""Work logged by one user on a shared device is never sent under another user's session."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.offline import log_call, login, wait_synced
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    page.goto("/#/settings")
    page.get_by_role("button", name="Se déconnecter", exact=True).tap()
    anyway = page.get_by_role("button", name="Se déconnecter quand même")
    if anyway.count():
        anyway.tap()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()


def test_an_outbox_waits_for_its_author(page, live_server):
    anne = UserFactory(email="anne@example.fr", name="Anne")
    bruno = UserFactory(email="bruno@example.fr", name="Bruno")
    company = CompanyFactory(name="Dupont SARL")
    timeline = f"/api/companies/{company.id}/timeline"

    page.goto("/")
    login(page, anne.email)
    wait_synced(page)
    # Anne's call cannot leave, from the page or from the worker.
    page.context.route("**/api/sync/push", lambda route: route.abort())
    page.goto(f"/#/companies/{company.id}")
    log_call(page, subject="Appel d'Anne")
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("1 en attente")
    log_out(page)

    page.context.unroute("**/api/sync/push")
    login(page, bruno.email)
    wait_synced(page)  # Bruno's drain is done and says nothing is pending for him
    assert page.request.get(timeline).json()["items"] == []
    log_out(page)

    login(page, anne.email)
    wait_synced(page)
    items = page.request.get(timeline).json()["items"]
    assert [(e["subject"], e["created_by"]) for e in items] == [("Appel d'Anne", str(anne.id))]
