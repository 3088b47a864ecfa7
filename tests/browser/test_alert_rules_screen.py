"""Réglages > Règles d'alerte: an admin changes a threshold and the server keeps it, an invalid
value shows its field error and changes nothing, a salesperson sees no way in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.offline import login, wait_synced

pytestmark = pytest.mark.browser


def open_screen(page, email: str) -> None:
    page.goto("/")
    login(page, email)
    wait_synced(page)
    page.get_by_test_id("open-settings").tap()
    page.get_by_test_id("open-alert-rules").tap()
    expect(page.get_by_role("heading", name="Règles d\u2019alerte", level=1)).to_be_visible()


def proposal_days(auth) -> int:
    items = auth.get("/api/alert-rules").get_json()["items"]
    [rule] = [item for item in items if item["key"] == "deal_neglected"]
    return rule["params"]["days"]["proposal"]


def test_an_admin_changes_a_threshold(page, people, make_auth):
    agnes = make_auth(people.admin)
    open_screen(page, people.admin.email)
    card = page.get_by_test_id("rule-deal_neglected")
    expect(card.get_by_role("heading", name="Affaire délaissée")).to_be_visible()
    expect(card.get_by_role("switch", name="Règle active")).to_be_checked()
    field = card.get_by_label("Proposition (jours)")
    expect(field).to_have_value("14")
    field.fill("21")
    card.get_by_role("button", name="Enregistrer").tap()
    expect(card.get_by_test_id("rule-saved")).to_have_text("Règle enregistrée.")
    assert proposal_days(agnes) == 21

    page.reload()  # what the screen shows comes from the server
    expect(page.get_by_test_id("rule-deal_neglected").get_by_label("Proposition (jours)")
           ).to_have_value("21")
    page.screenshot(path=shots_dir() / "rules.png", full_page=False)


def test_an_invalid_value_shows_its_error_and_changes_nothing(page, people, make_auth):
    agnes = make_auth(people.admin)
    open_screen(page, people.admin.email)
    card = page.get_by_test_id("rule-deal_neglected")
    field = card.get_by_label("Proposition (jours)")
    field.fill("0")
    card.get_by_role("button", name="Enregistrer").tap()
    error = card.get_by_test_id("rule-deal_neglected-params-days-proposal-error")
    expect(error).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(card.get_by_test_id("rule-saved")).to_have_text("")
    assert proposal_days(agnes) == 14


def test_a_salesperson_sees_no_entry(page, people):
    page.goto("/")
    login(page, people.b.email)
    wait_synced(page)
    page.get_by_test_id("open-settings").tap()
    expect(page.get_by_test_id("open-notifications")).to_be_visible()
    expect(page.get_by_test_id("open-alert-rules")).to_have_count(0)


def shots_dir() -> Path:
    path = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
