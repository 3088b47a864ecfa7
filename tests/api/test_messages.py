"""Error messages follow Accept-Language; codes never change."""

from __future__ import annotations

import pytest

from tests.factories import assert_error


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


def test_french_field_messages(alice):
    response = alice.post("/api/companies", json={"name": "x" * 201, "email": "pas-un-email",
                                                  "bogus": 1},
                          headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    error = assert_error(response, 422, "validation_error")
    assert error["message"] == "Certains champs sont à corriger."
    assert error["fields"] == {"name": ["200 caractères au maximum."],
                               "email": ["Adresse e-mail invalide."],
                               "bogus": ["Champ inconnu."]}


def test_english_by_default_and_on_request(alice):
    for headers in ({}, {"Accept-Language": "en-GB"}):
        error = assert_error(alice.post("/api/companies", json={}, headers=headers), 422,
                             "validation_error")
        assert error["fields"] == {"name": ["Missing data for required field."]}


def test_push_rejections_are_localised_too(alice):
    body = {"client_id": "6f6d1f8e-1f0e-4c8e-9a55-0b0b0b0b0b0b", "mutations": [
        {"seq": 1, "entity": "exchange", "op": "create",
         "id": "7f6d1f8e-1f0e-4c8e-9a55-0b0b0b0b0b0b",
         "data": {"kind": "call", "starts_at": "2026-11-24T09:00:00Z", "subject": "y" * 201}}]}
    result = alice.post("/api/sync/push", json=body,
                        headers={"Accept-Language": "fr"}).get_json()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"subject": ["200 caractères au maximum."]}


def test_login_failure_in_french(client):
    response = client.post("/api/auth/login", json={"email": "x@y.fr", "password": "nope"},
                           headers={"Accept-Language": "fr"})
    assert assert_error(response, 401, "invalid_credentials")["message"] == (
        "Adresse e-mail ou mot de passe incorrect.")


def test_alert_and_rule_errors_in_french(people, make_auth):
    sales, admin = make_auth(people.a), make_auth(people.admin)
    french = {"Accept-Language": "fr"}
    body = {"enabled": True, "params": {"days": {"proposal": 0}}}

    refused = sales.put("/api/alert-rules/deal_neglected", json=body, headers=french)
    assert assert_error(refused, 403)["message"] == (
        "Seul un administrateur peut modifier les règles d'alerte.")
    invalid = admin.put("/api/alert-rules/deal_neglected", json=body, headers=french)
    assert assert_error(invalid, 422)["fields"] == {"params.days.proposal": [
        "Doit être entre 1 et 365."]}
