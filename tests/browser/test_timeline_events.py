"""Timeline events: a colleague moves a deal to another stage and the deal's page, open on my
phone, shows it among the exchanges as a system line (no card), by date; in English too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.offline import login, wait_live, wait_synced
from tests.factories import CompanyFactory, DealFactory, ExchangeFactory

pytestmark = pytest.mark.browser


def test_a_stage_change_shows_on_the_deal_page_as_a_system_line(page, people, make_auth):
    alice = make_auth(people.a)
    deal = DealFactory(name="Copieurs 2027", company=CompanyFactory(name="Dupont SARL"),
                       stage="proposal", owner=people.b)
    older = ExchangeFactory(company=deal.company, deals=[deal], created_by=people.b,
                            subject="Première visite",
                            starts_at=datetime.now(UTC) - timedelta(days=2))
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.goto(f"/#/deals/{deal.id}")
    expect(page.get_by_role("heading", name="Copieurs 2027", level=1)).to_be_visible()
    expect(page.get_by_test_id("timeline-item")).to_have_count(1)
    wait_live(page)

    version = alice.get(f"/api/deals/{deal.id}").get_json()["version"]
    moved = alice.patch(f"/api/deals/{deal.id}", json={"stage": "negotiation", "version": version})
    assert moved.status_code == 200, moved.get_json()

    event = page.get_by_test_id("timeline").get_by_test_id("timeline-event")
    expect(event).to_have_count(1)  # no reload: the live hint pulls it
    expect(event).to_have_attribute("data-kind", "deal_stage_changed")
    expect(event).to_contain_text("Négociation")
    expect(event.locator("time")).to_be_visible()
    assert "card" not in (event.get_attribute("class") or "")
    rows = page.get_by_test_id("timeline").locator(":scope > li")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_test_id("timeline-event")).to_have_count(1)  # newest first
    expect(rows.nth(1).get_by_test_id("timeline-item")).to_have_attribute("data-id", str(older.id))

    page.goto("/#/settings")
    page.get_by_test_id("locale-en").check()
    page.goto(f"/#/deals/{deal.id}")
    expect(page.get_by_test_id("timeline-event")).to_contain_text("Negotiation")
