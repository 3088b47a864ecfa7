"""The field flow: find a company, log a call in three taps, see it on top of the timeline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CompanyFactory,
    ExchangeFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture()
def dupont(app):
    """A salesperson, the company "Dupont SARL" they own, and one older exchange on it."""
    agency = AgencyFactory(name="Lyon")
    user = UserFactory(email="vendeur@example.fr", name="Véronique Vendeur", agency_id=agency.id)
    company = CompanyFactory(name="Dupont SARL", owner_id=user.id, agency_id=agency.id,
                             phone="04 72 00 00 00")
    older = ExchangeFactory(company=company, created_by=user, kind="visit",
                            subject="Première visite",
                            starts_at=datetime.now(UTC) - timedelta(days=3))
    return user, company, older


def open_company_from_search(page, name: str) -> None:
    page.get_by_test_id("home-search").tap()
    search = page.get_by_label("Rechercher une entreprise, un contact ou une affaire")
    search.press_sequentially("dup")
    results = page.get_by_test_id("results-company")
    results.get_by_role("link", name=re.compile(name)).tap()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_log_a_call_in_three_taps(page, log_in, dupont, taps):
    user, company, older = dupont
    log_in(user.email, PASSWORD)
    open_company_from_search(page, "Dupont SARL")
    timeline = page.get_by_test_id("timeline").get_by_test_id("timeline-item")
    expect(timeline.first).to_have_attribute("data-id", str(older.id))

    taps(page.get_by_role("button", name="Consigner", exact=True))
    taps(page.get_by_role("dialog").get_by_role("button", name="Appel", exact=True))
    taps(page.get_by_role("dialog").get_by_role("button", name="Enregistrer", exact=True))

    assert taps.count == 3
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(timeline).to_have_count(2)
    expect(timeline.first).not_to_have_attribute("data-id", str(older.id))
    expect(timeline.first).to_contain_text("Appel")
    new_id = timeline.first.get_attribute("data-id")
    # Saved on the device first, then sent by the outbox: wait until it is on the server.
    expect(page.locator("[data-pending=true]")).to_have_count(0)

    response = page.request.get(f"/api/companies/{company.id}/timeline")
    assert response.ok
    first = response.json()["items"][0]
    assert first["id"] == new_id
    assert (first["kind"], first["state"], first["company_id"]) == ("call", "done", str(company.id))
    assert first["created_by"] == str(user.id)


def test_post_call_prompt_logs_the_call_with_its_duration(page, log_in, dupont, taps):
    user, company, _ = dupont
    log_in(user.email, PASSWORD)
    page.goto(f"/#/companies/{company.id}")
    call = page.get_by_role("link", name=re.compile("^Appeler 04 72"))
    # Keep the page (no dialer in headless Chromium); the app's own click handler still runs.
    call.evaluate("a => a.addEventListener('click', (event) => event.preventDefault())")
    call.tap()
    # Back from the phone app: the page becomes visible again.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    banner = page.get_by_test_id("post-call-banner")
    expect(banner).to_contain_text("Consigner cet appel avec Dupont SARL")
    taps(banner.get_by_role("button", name="Consigner"))
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="Appel", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    taps(dialog.get_by_role("button", name="Enregistrer", exact=True))
    assert taps.count == 2

    expect(page.get_by_test_id("timeline-item").first).to_contain_text("Appel")
    expect(page.locator("[data-pending=true]")).to_have_count(0)  # sent by the outbox
    first = page.request.get(f"/api/companies/{company.id}/timeline").json()["items"][0]
    assert first["kind"] == "call"
    assert first["ends_at"] is not None and first["ends_at"] >= first["starts_at"]


def test_login_shows_the_api_error(page, dupont):
    page.goto("/")
    page.get_by_label("Adresse e-mail").fill(dupont[0].email)
    page.get_by_label("Mot de passe").fill("wrong password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mail ou mot de passe incorrect")
