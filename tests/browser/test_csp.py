"""The screens under the real Content-Security-Policy (other browser tests bypass it): nothing
refused on the home screen, a record page with its timeline, the alerts, the tasks, the
agenda, the settings and the log sheet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import utcnow
from tests.browser.conftest import PHONE
from tests.browser.offline import login
from tests.factories import CompanyFactory, DealFactory

pytestmark = pytest.mark.browser


def test_no_screen_needs_anything_the_policy_refuses(browser, live_server, people):
    from app.services.alerts.engine import sweep

    company = CompanyFactory(name="Dupont SARL", owner=people.a)
    DealFactory(company=company, owner=people.a, name="Renouvellement 2027",
                expected_close_date=(utcnow() - timedelta(days=3)).date())
    db.session.commit()
    sweep(db.session)
    db.session.commit()

    context = browser.new_context(base_url=live_server, locale="fr-FR", bypass_csp=False,
                                  **PHONE)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    try:
        page.goto("/")
        login(page, people.a.email)
        for route, shown in (("#/alerts", "Renouvellement 2027"), ("#/tasks", None),
                             ("#/agenda", None), ("#/settings", None),
                             ("#/notifications", None), (f"#/companies/{company.id}",
                                                         "Dupont SARL")):
            page.goto(f"/{route}")
            expect(page.locator("main, .page").first).to_be_visible()
            if shown:
                expect(page.get_by_text(shown).first).to_be_visible()
        page.get_by_role("button", name="Consigner", exact=True).tap()
        expect(page.get_by_role("dialog")).to_be_visible()
        page.wait_for_timeout(300)  # let late requests and styles land
    finally:
        context.close()
    assert refused == []
