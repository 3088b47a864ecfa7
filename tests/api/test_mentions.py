"""@mentions in an exchange: the colleague named is told once, if they may see it."""

from __future__ import annotations

from app.extensions import db
from app.services.mentions import find
from tests.factories import CompanyFactory, UserFactory


def inbox(auth, lang: str = "fr") -> list[dict]:
    return auth.get("/api/notifications", headers={"Accept-Language": lang}).json["items"]


def log(auth, **fields) -> dict:
    body = {"kind": "visit", "starts_at": "2026-11-24T09:00:00Z", **fields}
    response = auth.post("/api/exchanges", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_names_are_found_whatever_their_case_and_accents_longest_first():
    names = {1: "Chloé Sales", 2: "Marie Dupont", 3: "Marie Dupont-Laval", 4: "Jean"}

    assert find(names, "Voir avec @chloe sales demain") == {1}
    assert find(names, "@MARIE DUPONT-LAVAL et @Marie Dupont, merci") == {3, 2}
    assert find(names, "cc @Marie Dupontel") == set()  # another name, not Marie Dupont's
    assert find(names, "écrire à jean@example.fr", None, "@Jean.") == {4}
    assert find(names, "Chloé Sales sans arobase", "") == set()


def test_a_mentioned_colleague_is_told_in_their_language(people, alice, chloe):
    company = CompanyFactory(name="Garage Lenoir", owner=people.a)
    db.session.commit()

    log(alice, company_id=str(company.id), subject="Devis four",
        details="Démonstration à prévoir avec @chloé sales la semaine prochaine")

    (item,) = inbox(chloe)
    assert (item["kind"], item["title"]) == ("mentioned", "Garage Lenoir")
    assert item["body"] == "Alice Sales vous a mentionné·e (Visite) : Devis four"
    assert inbox(chloe, "en")[0]["body"] == "Alice Sales mentioned you (Visit): Devis four"
    assert item["url"] == f"/#/companies/{company.id}"


def test_an_internal_exchange_can_mention_too(people, alice, chloe):
    log(alice, subject="Réunion d'équipe @Chloé Sales")

    (item,) = inbox(chloe)
    assert item["kind"] == "mentioned" and item["url"] == "/#/"
    assert item["title"] == "Réunion d'équipe @Chloé Sales"


def test_nobody_inactive_nor_the_author_nor_an_outsider_to_a_private_exchange(
        people, alice, bruno, chloe):
    UserFactory(name="Denis Parti", email="denis@example.fr", active=False)
    db.session.commit()

    log(alice, subject="@Alice Sales @Denis Parti @Chloé Sales @Bruno Sales", private=True,
        participant_ids=[str(people.b.id)])

    assert inbox(chloe) == [] and inbox(alice) == []
    (item,) = inbox(bruno)  # a participant named in it: told once
    assert item["kind"] == "mentioned"


def test_an_edit_tells_only_who_it_newly_names(people, alice, bruno, chloe):
    exchange = log(alice, subject="Point @Bruno Sales")
    assert [i["kind"] for i in inbox(bruno)] == ["mentioned"]

    edited = alice.patch(f"/api/exchanges/{exchange['id']}", json={
        "version": exchange["version"], "details": "@Bruno Sales et @Chloé Sales"})

    assert edited.status_code == 200
    assert len(inbox(bruno)) == 1
    assert [i["kind"] for i in inbox(chloe)] == ["mentioned"]


def test_participants_added_later_hear_it_was_shared_with_them(people, alice, chloe):
    exchange = log(alice, subject="Salon", state="planned")

    alice.patch(f"/api/exchanges/{exchange['id']}", json={
        "version": exchange["version"], "participant_ids": [str(people.c.id)]})

    (item,) = inbox(chloe, "en")
    assert item["kind"] == "exchange_shared"
    assert item["body"] == "Alice Sales planned a visit with you: Salon"
