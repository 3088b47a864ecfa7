"""The agenda: my appointments today and this week, grouped by day, from the home screen; a tap
opens the record; offline, the ones the device holds."""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import login, wait_synced
from tests.factories import CompanyFactory

pytestmark = pytest.mark.browser


def at_local(day_offset: int, hour: int, minute: int = 0) -> str:
    """An ISO instant at this wall time, `day_offset` days from today, in the machine's zone
    (Chromium's too)."""
    today = datetime.now().astimezone().date()
    zone = datetime.now().astimezone().tzinfo
    return datetime.combine(today + timedelta(days=day_offset), time(hour, minute),
                            tzinfo=zone).isoformat()


def plan(auth, company, subject: str, starts_at: str, kind: str = "visit", **extra) -> dict:
    response = auth.post("/api/exchanges", json={
        "kind": kind, "state": "planned", "subject": subject, "company_id": str(company.id),
        "starts_at": starts_at, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture()
def week(people, make_auth):
    """Bruno's week: a visit today, a meeting in two days Alice invited him to, and things that
    are not his (Alice's own visit) or not planned (a done call)."""
    alice, bruno = make_auth(people.a), make_auth(people.b)
    dupont = CompanyFactory(name="Dupont SARL", owner=people.b)
    moreau = CompanyFactory(name="Garage Moreau")
    plan(bruno, dupont, "Présentation du catalogue", at_local(0, 23, 30))
    plan(alice, moreau, "Réunion de chantier", at_local(2, 9, 15), kind="meeting",
         participant_ids=[str(people.b.id)])
    plan(alice, moreau, "Visite d'Alice seule", at_local(1, 10))
    bruno.post("/api/exchanges", json={"kind": "call", "state": "done", "subject": "Appel fait",
                                       "company_id": str(dupont.id), "starts_at": at_local(0, 0)})
    plan(bruno, dupont, "Dans trois semaines", at_local(21, 10))
    return dupont, moreau


@pytest.mark.usefixtures("week")
def test_the_agenda_groups_my_appointments_by_day_and_opens_them(page, people):
    page.goto("/")
    login(page, people.b.email)
    entry = page.get_by_test_id("open-agenda")
    expect(entry).to_contain_text("Agenda")
    expect(page.get_by_test_id("agenda-count")).to_have_text("1 rendez-vous aujourd\u2019hui")
    entry.tap()

    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    days = page.get_by_test_id("agenda-day")
    expect(days).to_have_count(2)
    expect(days.nth(0).get_by_role("heading")).to_contain_text("Aujourd\u2019hui")
    expect(days.nth(0)).to_contain_text("Présentation du catalogue")
    expect(days.nth(0)).to_contain_text("23:30")
    expect(days.nth(1)).to_contain_text("Réunion de chantier")
    expect(days.nth(1)).to_contain_text("09:15")
    expect(days.nth(1)).to_contain_text("Garage Moreau")
    agenda = page.get_by_test_id("agenda")
    for absent in ("Visite d'Alice seule", "Appel fait", "Dans trois semaines"):
        expect(agenda.get_by_text(absent)).to_have_count(0)

    days.nth(0).get_by_test_id("exchange-card").tap()
    expect(page.get_by_role("heading", name="Dupont SARL", level=1)).to_be_visible()


@pytest.mark.usefixtures("week")
def test_offline_the_agenda_comes_from_the_device(page, people):
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.context.set_offline(True)
    page.goto("/#/agenda")
    expect(page.get_by_test_id("agenda-offline")).to_contain_text("Hors ligne")
    days = page.get_by_test_id("agenda-day")
    expect(days).to_have_count(2)
    expect(days.nth(0)).to_contain_text("Présentation du catalogue")
    expect(days.nth(1)).to_contain_text("Réunion de chantier")
    expect(page.get_by_test_id("agenda").get_by_text("Visite d'Alice seule")).to_have_count(0)
    expect(page.get_by_test_id("agenda").get_by_text("Dans trois semaines")).to_have_count(0)
    page.context.set_offline(False)
    expect(page.get_by_test_id("agenda-offline")).to_have_count(0)
    expect(days.nth(1)).to_contain_text("Réunion de chantier")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots(browser, live_server, people, week, tmp_path, scheme):
    """Home and the agenda at 390x844 (kept in $TOURNEE_SHOTS when set, to look at)."""
    shots = Path(os.environ.get("TOURNEE_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, locale="fr-FR", color_scheme=scheme,
                                  **PHONE)
    page = context.new_page()
    try:
        page.goto("/")
        login(page, people.b.email)
        expect(page.get_by_test_id("agenda-count")).to_contain_text("aujourd")
        page.screenshot(path=shots / f"h5-home-{scheme}.png", animations="disabled")
        page.get_by_test_id("open-agenda").tap()
        expect(page.get_by_test_id("agenda-day")).to_have_count(2)
        page.screenshot(path=shots / f"h5-agenda-{scheme}.png", full_page=True,
                        animations="disabled")
        page.set_viewport_size({"width": 360, "height": 740})
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], "the agenda scrolls sideways at 360 px"
    finally:
        context.close()
