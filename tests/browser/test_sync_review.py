"""What the server refuses lands in "À vérifier" without blocking the queue; a conflict is
settled field by field and the kept values reach the server."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.offline import log_call, login, wait_synced
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

# An exchange an older app version could have queued: the server refuses its 300-char subject.
QUEUE_BAD_EXCHANGE = """async ([companyId]) => {
  const { enqueue } = await import('/js/sync/outbox.js');
  const id = crypto.randomUUID();
  const data = { id, kind: 'call', state: 'done', subject: 'x'.repeat(300),
                 starts_at: new Date().toISOString(), company_id: companyId };
  await enqueue([{ entity: 'exchange', op: 'create', id, data, local: { ...data } }]);
  return id;
}"""


@pytest.fixture()
def book(app):
    agency = AgencyFactory(name="Lyon")
    user = UserFactory(email="vendeur@example.fr", name="Véronique Vendeur", agency_id=agency.id)
    other = UserFactory(email="collegue@example.fr", name="Bruno Collègue", agency_id=agency.id)
    company = CompanyFactory(name="Dupont SARL", owner_id=user.id, agency_id=agency.id)
    contact = ContactFactory(first_name="Hélène", last_name="Martin", job_title="Acheteuse",
                             mobile="06 00 00 00 01", phone="04 72 00 00 02")
    CompanyContactFactory(company_id=company.id, contact_id=contact.id)
    return user, other, company, contact


def test_rejected_mutation_goes_to_review_and_the_queue_moves_on(page, live_server, book):
    user, _, company, _ = book
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    page.context.set_offline(True)
    page.goto(f"/#/companies/{company.id}")
    bad_id = page.evaluate(QUEUE_BAD_EXCHANGE, [str(company.id)])
    log_call(page, subject="Appel après le refus")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 2 en attente")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    review = page.get_by_test_id("sync-attention")
    expect(review).to_have_text("1 à vérifier")
    subjects = [e["subject"] for e in
                page.request.get(f"/api/companies/{company.id}/timeline").json()["items"]]
    assert subjects == ["Appel après le refus"]

    review.tap()
    item = page.get_by_test_id("attention-item")
    expect(item).to_have_count(1)
    expect(item.get_by_test_id("attention-error")).to_contain_text("Refusé par le serveur. Objet :")
    expect(page.locator(f"[data-id='{bad_id}']")).to_have_count(0)  # not a timeline screen

    item.get_by_test_id("attention-fix").tap()
    item.get_by_label("Objet").fill("Appel corrigé")
    item.get_by_test_id("attention-resend").tap()
    expect(page.get_by_test_id("attention-item")).to_have_count(0)
    expect(page.get_by_test_id("sync-attention")).to_have_count(0)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé")
    exchange = page.request.get(f"/api/exchanges/{bad_id}").json()
    assert exchange["subject"] == "Appel corrigé"


def test_discard_asks_first(page, book):
    user, _, company, _ = book
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    page.evaluate(QUEUE_BAD_EXCHANGE, [str(company.id)])
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_test_id("sync-attention").tap()
    item = page.get_by_test_id("attention-item")
    item.get_by_test_id("attention-discard").tap()
    expect(item.get_by_role("alert")).to_contain_text("Abandonner définitivement ?")
    item.get_by_test_id("attention-discard-confirm").tap()
    expect(page.get_by_test_id("attention-item")).to_have_count(0)
    expect(page.get_by_test_id("sync-attention")).to_have_count(0)


def test_conflict_is_settled_field_by_field(page, browser, live_server, book):
    user, other, _, contact = book
    page.goto("/")
    login(page, user.email)
    wait_synced(page)
    page.goto(f"/#/contacts/{contact.id}")
    expect(page.get_by_role("heading", level=1, name="Hélène Martin")).to_be_visible()

    page.context.set_offline(True)
    page.get_by_test_id("record-edit").tap()
    page.get_by_label("Fonction").fill("Directrice achats")
    page.get_by_label("Mobile").fill("06 99 99 99 99")
    page.get_by_test_id("edit-save").tap()
    expect(page.locator("header.topbar")).to_contain_text("Directrice achats")
    expect(page.get_by_test_id("record-header").get_by_test_id("pending-mark")).to_be_visible()

    # Meanwhile the same user's tablet edits another field and syncs it...
    tablet = browser.new_context(base_url=live_server, locale="fr-FR", **PHONE).new_page()
    tablet.goto("/")
    login(tablet, user.email)
    wait_synced(tablet)
    tablet.goto(f"/#/contacts/{contact.id}")
    tablet.get_by_test_id("record-edit").tap()
    tablet.get_by_label("E-mail").fill("helene.martin@dupont.fr")
    tablet.get_by_test_id("edit-save").tap()
    deadline = time.monotonic() + 15  # the tablet's outbox sends the edit
    while tablet.request.get(f"/api/contacts/{contact.id}").json()["email"] is None:
        assert time.monotonic() < deadline, "the tablet's edit never reached the server"
        tablet.wait_for_timeout(100)
    tablet.context.close()

    # ... and a colleague edits the same contact on the server.
    b = browser.new_context(base_url=live_server)
    token = b.request.post("/api/auth/login", data={"email": other.email,
                                                    "password": PASSWORD}).json()["csrf_token"]
    version = b.request.get(f"/api/contacts/{contact.id}").json()["version"]
    assert version == contact.version + 1  # the tablet's edit
    edited = b.request.patch(f"/api/contacts/{contact.id}", headers={"X-CSRF-Token": token},
                             data={"version": version, "job_title": "Acheteuse senior",
                                   "phone": "04 72 11 11 11"})
    assert edited.ok, edited.text()
    b.close()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_test_id("sync-attention").tap()
    page.get_by_test_id("attention-resolve").tap()
    form = page.get_by_test_id("conflict-form")
    expect(form).to_contain_text("Sur cet appareil")
    expect(form).to_contain_text("Sur le serveur")
    expect(page.get_by_test_id("conflict-job_title-server")).to_be_visible()
    form.locator("label", has=page.get_by_test_id("conflict-job_title-server")).tap()
    expect(page.get_by_test_id("conflict-mobile-device")).to_be_checked()
    page.get_by_test_id("conflict-save").tap()

    expect(page.get_by_test_id("sync-attention")).to_have_count(0)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé")
    server = page.request.get(f"/api/contacts/{contact.id}").json()
    assert (server["job_title"], server["mobile"], server["phone"], server["email"]) == (
        "Acheteuse senior", "06 99 99 99 99", "04 72 11 11 11", "helene.martin@dupont.fr")
