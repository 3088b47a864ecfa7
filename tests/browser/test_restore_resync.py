"""A device that synced before the server was restored from a backup gets the restored state
afresh, keeps what it has not sent yet, and shows nothing the server no longer has."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, update

from app.extensions import db
from app.models import ChangeCounter, Company
from tests.browser.offline import log_call, login, stored, wait_synced
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.browser



def company_names(page) -> list[str]:
    return sorted(row["name"] for row in stored(page, "companies"))


def test_a_restore_makes_devices_sync_afresh_without_losing_their_outbox(page, live_server):
    user = UserFactory(email="vendeur@example.fr")
    kept = CompanyFactory(name="Dupont SARL")
    lost = CompanyFactory(name="Perdue SA")
    db.session.commit()
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    assert company_names(page) == ["Dupont SARL", "Perdue SA"]
    # Pulls run in a dedicated worker, off the page's thread.
    assert [w.url.rsplit("/", 1)[1] for w in page.workers] == ["pull-worker.js"]

    page.context.set_offline(True)
    page.goto(f"/#/companies/{kept.id}")
    log_call(page, subject="Appel pendant la restauration")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 1 en attente")

    # The server goes back to a backup taken before "Perdue SA" existed (a restore draws a
    # new epoch), then a colleague adds a company: numbered again past the device's cursor.
    db.session.execute(delete(Company).where(Company.id == lost.id))
    db.session.execute(update(ChangeCounter).values(epoch="5e5707ed"))
    db.session.commit()
    added = CompanyFactory(name="Nouvelle SAS")
    db.session.commit()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 20  # wait_for_function takes a promise for true
    while company_names(page) != ["Dupont SARL", "Nouvelle SAS"] \
            and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert company_names(page) == ["Dupont SARL", "Nouvelle SAS"]
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé", timeout=20_000)
    timeline = page.request.get(f"/api/companies/{kept.id}/timeline").json()["items"]
    assert [e["subject"] for e in timeline] == ["Appel pendant la restauration"]
    page.context.set_offline(True)  # what the device shows is its own copy
    page.goto(f"/#/companies/{added.id}")
    expect(page.get_by_role("heading", level=1, name="Nouvelle SAS")).to_be_visible()
    page.goto(f"/#/companies/{lost.id}")
    expect(page.get_by_role("heading", level=1, name="Perdue SA")).to_have_count(0)
