"""Edge input found in review: times with no UTC equivalent, huge seqs, hostile file names."""

from __future__ import annotations

import base64
import io
import json
import uuid

import pytest

from tests.factories import CompanyFactory, ExchangeFactory, assert_error

NO_UTC = "9999-12-31T23:59:59-05:00"  # valid ISO 8601, after the last representable instant


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


def test_a_time_past_the_last_utc_instant_is_422(alice, db_state):
    before = db_state()
    response = alice.post("/api/exchanges", json={"kind": "call", "starts_at": NO_UTC})
    assert assert_error(response, 422, "validation_error")["fields"] == {
        "starts_at": ["Not a valid datetime."]}
    assert db_state() == before
    assert_error(alice.get("/api/exchanges", query_string={"from": "0001-01-01T00:00:00+05:00"}),
                 422, "validation_error")


def test_a_cursor_with_such_a_time_is_400(alice):
    raw = json.dumps(["0001-01-01T00:00:00+05:00", str(uuid.UUID(int=0))]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert_error(alice.get("/api/exchanges", query_string={"cursor": cursor}), 400, "bad_cursor")


def test_one_bad_time_in_a_push_rejects_only_its_mutation(alice):
    company = str(uuid.uuid4())
    body = {"client_id": str(uuid.uuid4()), "mutations": [
        {"seq": 1, "entity": "company", "op": "create", "id": company, "data": {"name": "Ok"}},
        {"seq": 2, "entity": "exchange", "op": "create", "id": str(uuid.uuid4()),
         "data": {"kind": "call", "starts_at": NO_UTC}}]}
    response = alice.post("/api/sync/push", json=body)
    assert response.status_code == 200, response.get_json()
    assert [r["status"] for r in response.get_json()["results"]] == ["applied", "rejected"]
    assert response.get_json()["last_seq"] == 2
    assert alice.get(f"/api/companies/{company}").status_code == 200


def test_a_seq_beyond_64_bits_is_422(alice, db_state):
    before = db_state()
    body = {"client_id": str(uuid.uuid4()), "mutations": [
        {"seq": 10**20, "entity": "company", "op": "create", "id": str(uuid.uuid4()),
         "data": {"name": "X"}}]}
    assert_error(alice.post("/api/sync/push", json=body), 422, "validation_error")
    assert db_state() == before


def test_deal_amounts_fit_their_column(alice):
    company = str(CompanyFactory().id)
    too_big = alice.post("/api/deals", json={"name": "X", "company_id": company,
                                             "amount": "1000000000000"})
    assert_error(too_big, 422, "validation_error")
    largest = alice.post("/api/deals", json={"name": "X", "company_id": company,
                                             "amount": "999999999999.99"})
    assert largest.status_code == 201 and largest.get_json()["amount"] == "999999999999.99"


def test_control_characters_and_folders_leave_file_names(alice, people):
    exchange = ExchangeFactory(created_by=people.a)
    response = alice.client.post(
        "/api/attachments", headers={"X-CSRF-Token": alice.csrf},
        data={"entity": "exchange", "entity_id": str(exchange.id),
              "file": (io.BytesIO(b"%PDF-1.4 devis"), "../..\\dossier/a\x1b\x07b.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == "ab.pdf"
    download = alice.get(f"/api/attachments/{response.get_json()['id']}/content", buffered=True)
    assert download.status_code == 200 and download.get_data() == b"%PDF-1.4 devis"
    assert "\n" not in download.headers["Content-Disposition"]


@pytest.mark.parametrize("path", ["/vendor/README.md", "/__pycache__/x.pyc", "/.hidden"])
def test_the_pwa_serves_no_notes_caches_or_dotfiles(client, path):
    with client.get(path) as response:
        assert response.status_code == 404


def test_header_breaking_names_are_cleaned_before_storage():
    from app.services.attachments import clean_filename

    assert clean_filename("a\r\nX-Evil: 1.txt") == "aX-Evil: 1.txt"
    assert clean_filename("C:\\Users\\moi\\devis.pdf") == "devis.pdf"


def test_dates_outside_the_years_a_crm_needs_are_refused(alice):
    far = alice.get("/api/agenda", query_string={"from": "9999-12-30T00:00:00Z"})
    assert assert_error(far, 422)["fields"] == {"from": [
        "Must be between the years 1900 and 2200."]}
    french = alice.post("/api/tasks", headers={"Accept-Language": "fr"},
                        json={"title": "Un jour", "due_at": "9999-12-31T23:30:00Z"})
    assert assert_error(french, 422)["fields"] == {"due_at": [
        "Doit être entre les années 1900 et 2200."]}
