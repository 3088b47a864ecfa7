"""A private exchange is seen by its author and participants only, at every door.

Alice (a) writes a private exchange with Bruno (b) as participant. Chloé (c, another
salesperson), the manager and the admin must not learn it exists: not in lists (whatever the
filters), not in timelines, not by id, not by trying to edit, delete or re-create it, and its
subject never appears in anything they are sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
    assert_error,
)

SECRET = "Négociation confidentielle Zanzibar"
WHEN = datetime(2026, 5, 4, 10, tzinfo=UTC)
OUTSIDERS = ["c", "manager", "admin"]
INSIDERS = ["a", "b"]


@pytest.fixture()
def scene(people):
    from types import SimpleNamespace

    company = CompanyFactory(name="Dupont SARL")
    contact = ContactFactory(last_name="Durand")
    CompanyContactFactory(company=company, contact=contact)
    deal = DealFactory(company=company, name="Copieurs")
    secret = ExchangeFactory(
        created_by=people.a, participants=[people.b], private=True, kind="meeting",
        state="planned", outcome="interested", subject=SECRET, details=f"{SECRET} (détails)",
        starts_at=WHEN, company=company, contact=contact, deals=[deal])
    public = ExchangeFactory(
        created_by=people.a, participants=[people.b], kind="meeting", state="planned",
        outcome="interested", subject="Réunion publique", starts_at=WHEN - timedelta(hours=1),
        company=company, contact=contact, deals=[deal])
    return SimpleNamespace(company=company, contact=contact, deal=deal, secret=secret,
                           public=public)


def list_urls(scene) -> list[str]:
    """Every way of listing exchanges, each one matching the private exchange's attributes."""
    day_before, day_after = "2026-05-03T00:00:00Z", "2026-05-05T00:00:00Z"
    return [
        "/api/exchanges",
        "/api/exchanges?mine=true",
        "/api/exchanges?state=planned",
        "/api/exchanges?kind=meeting",
        f"/api/exchanges?company_id={scene.company.id}",
        f"/api/exchanges?contact_id={scene.contact.id}",
        f"/api/exchanges?deal_id={scene.deal.id}",
        f"/api/exchanges?from={day_before}&to={day_after}",
        f"/api/exchanges?limit=1&kind=meeting&state=planned&company_id={scene.company.id}",
        f"/api/companies/{scene.company.id}/timeline",
        f"/api/contacts/{scene.contact.id}/timeline",
        f"/api/deals/{scene.deal.id}/timeline",
    ]


@pytest.mark.parametrize("who", INSIDERS)
def test_author_and_participant_see_it_everywhere(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))

    for url in list_urls(scene):
        if "limit=1" in url:
            continue
        ids = [e["id"] for e in helper.get(url).get_json()["items"]]
        assert str(scene.secret.id) in ids, url
    body = helper.get(f"/api/exchanges/{scene.secret.id}").get_json()
    assert body["subject"] == SECRET and body["private"] is True


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_never_see_it_in_lists_or_timelines(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))

    for url in list_urls(scene):
        response = helper.get(url)
        assert response.status_code == 200, url
        ids = [e["id"] for e in response.get_json()["items"]]
        assert str(scene.secret.id) not in ids, url
        if "mine" not in url:  # the same filters do find the public one
            assert str(scene.public.id) in ids, url
        assert SECRET not in response.get_data(as_text=True), url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_by_id_edit_delete_and_recreate(make_auth, people, scene, who, db_state):
    helper = make_auth(getattr(people, who))
    url = f"/api/exchanges/{scene.secret.id}"
    before = db_state()

    unknown = helper.get("/api/exchanges/00000000-0000-4000-8000-000000000000")
    responses = [
        helper.get(url),
        helper.patch(url, json={"version": 1, "subject": "Vu !"}),
        helper.patch(url, json={"version": 99, "subject": "Vu !"}),  # no conflict body either
        helper.delete(url),
        helper.post("/api/exchanges", json={"id": str(scene.secret.id), "kind": "call",
                                            "starts_at": "2026-05-04T10:00:00Z"}),
        helper.post("/api/exchanges", json={"id": str(scene.secret.id), "kind": "meeting",
                                            "state": "planned", "subject": SECRET,
                                            "starts_at": "2026-05-04T10:00:00Z"}),
    ]

    for response in responses:
        error = assert_error(response, 404, "not_found")
        assert "current" not in response.get_json()
        assert SECRET not in response.get_data(as_text=True)
        # exactly what a never-existing exchange gets: nothing tells them apart
        assert error == unknown.get_json()["error"]
    assert db_state() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_never_read_the_subject_anywhere(make_auth, people, scene, who):
    helper = make_auth(getattr(people, who))
    urls = [
        *list_urls(scene),
        f"/api/companies/{scene.company.id}", f"/api/contacts/{scene.contact.id}",
        f"/api/deals/{scene.deal.id}", "/api/companies", "/api/contacts", "/api/deals",
        "/api/search?q=zanzibar", "/api/search?q=negociation", "/api/search?q=dupont",
        "/api/users", "/api/auth/me", f"/api/exchanges/{scene.public.id}",
    ]

    for url in urls:
        response = helper.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert SECRET not in text and "Zanzibar" not in text, url
        assert str(scene.secret.id) not in text, url
    assert helper.get("/api/search?q=zanzibar").get_json()["items"] == []


def test_participant_sees_it_but_cannot_change_it(make_auth, people, scene):
    bruno = make_auth(people.b)
    url = f"/api/exchanges/{scene.secret.id}"

    assert bruno.get(url).status_code == 200
    assert_error(bruno.patch(url, json={"version": 1, "subject": "X"}), 403, "forbidden")
    assert_error(bruno.delete(url), 403, "forbidden")


def test_author_keeps_full_control(make_auth, people, scene):
    alice = make_auth(people.a)
    url = f"/api/exchanges/{scene.secret.id}"

    edited = alice.patch(url, json={"version": 1, "details": "Mis à jour"})
    assert edited.status_code == 200 and edited.get_json()["details"] == "Mis à jour"
    assert alice.delete(url).status_code == 204
    assert_error(alice.get(url), 404, "not_found")


def test_removing_a_participant_hides_it_from_them(make_auth, people, scene):
    alice, bruno = make_auth(people.a), make_auth(people.b)
    url = f"/api/exchanges/{scene.secret.id}"

    response = alice.patch(url, json={"version": 1, "participant_ids": []})
    assert response.status_code == 200

    assert_error(bruno.get(url), 404, "not_found")
    assert str(scene.secret.id) not in [e["id"] for e in bruno.get("/api/exchanges")
                                        .get_json()["items"]]


def test_making_it_public_shows_it_to_everyone(make_auth, people, scene):
    alice, chloe = make_auth(people.a), make_auth(people.c)
    url = f"/api/exchanges/{scene.secret.id}"
    assert_error(chloe.get(url), 404)

    assert alice.patch(url, json={"version": 1, "private": False}).status_code == 200

    assert chloe.get(url).get_json()["subject"] == SECRET


def test_private_exchange_pages_do_not_leak_through_cursors(make_auth, people, scene):
    chloe = make_auth(people.c)
    for hour in range(1, 4):
        ExchangeFactory(created_by=people.a, private=True, subject=SECRET,
                        starts_at=WHEN + timedelta(hours=hour))
    later = ExchangeFactory(created_by=people.a, subject="Publique",
                            starts_at=WHEN + timedelta(hours=2, minutes=30))

    seen, cursor = [], None
    while True:
        url = "/api/exchanges?limit=1" + (f"&cursor={cursor}" if cursor else "")
        response = chloe.get(url)
        assert response.status_code == 200, response.get_json()
        assert SECRET not in response.get_data(as_text=True)
        seen += [e["id"] for e in response.get_json()["items"]]
        cursor = response.get_json()["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(later.id), str(scene.public.id)]
