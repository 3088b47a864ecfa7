"""Documents on a company page: added offline (a photo made smaller, a PDF as it is), sent when
the network is back; a file of a refused type never reaches the outbox."""

from __future__ import annotations

import hashlib
import os

import pytest
from playwright.sync_api import expect

from tests.browser.offline import login, png, stored, wait_synced
from tests.factories import AgencyFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture()
def field(app):
    agency = AgencyFactory(name="Lyon")
    user = UserFactory(email="vendeur@example.fr", name="Véronique Vendeur", agency_id=agency.id)
    company = CompanyFactory(name="Dupont SARL", owner_id=user.id, agency_id=agency.id)
    return user, company


def add_file(page, name: str, mime: str, data: bytes) -> None:
    page.get_by_test_id("documents-input").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_documents_added_offline_reach_the_server(page, field):
    user, company = field
    page.goto("/")
    login(page, user.email)
    wait_synced(page)

    page.context.set_offline(True)
    page.goto(f"/#/companies/{company.id}")
    documents = page.get_by_test_id("documents")
    expect(documents.get_by_role("heading", name="Documents")).to_be_visible()
    expect(documents).to_contain_text("Aucun document.")
    expect(documents.get_by_text("Ajouter un fichier")).to_be_visible()

    add_file(page, "vitrine.png", "image/png", png(2400, 1600, 40))
    add_file(page, "devis.pdf", "application/pdf", PDF)
    rows = documents.get_by_test_id("document")
    expect(rows).to_have_count(2)
    expect(documents.get_by_test_id("pending-mark")).to_have_count(2)
    expect(rows.filter(has_text="vitrine.jpg").locator("img")).to_have_count(1)
    expect(rows.filter(has_text="devis.pdf")).to_contain_text(f"{len(PDF)} o")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Hors ligne · 2 en attente")

    add_file(page, "setup.exe", "application/octet-stream", b"MZ\x90\x00")
    expect(page.get_by_test_id("documents-error")).to_have_text(
        "« setup.exe » n\u2019est pas accepté. Formats possibles : images, PDF, TXT, CSV, DOCX, "
        "XLSX, PPTX, ODT, ODS.")
    assert len(stored(page, "outbox")) == 2
    expect(rows).to_have_count(2)
    if os.environ.get("DOCUMENTS_SCREENSHOT"):
        page.screenshot(path=os.environ["DOCUMENTS_SCREENSHOT"])

    page.context.set_offline(False)
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("Synchronisé", timeout=20_000)
    expect(documents.get_by_test_id("pending-mark")).to_have_count(0)
    assert len(stored(page, "outbox")) == 0

    listed = page.request.get(
        f"/api/attachments?entity=company&entity_id={company.id}").json()["items"]
    by_name = {item["filename"]: item for item in listed}
    assert sorted(by_name) == ["devis.pdf", "vitrine.jpg"]
    assert by_name["vitrine.jpg"]["content_type"] == "image/jpeg"
    pdf = by_name["devis.pdf"]
    assert pdf["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert page.request.get(f"/api/attachments/{pdf['id']}/content").body() == PDF
    link = rows.filter(has_text="devis.pdf").get_by_role("link")
    expect(link).to_have_attribute("href", f"/api/attachments/{pdf['id']}/content")
