"""/api/search: prefix, case- and accent-insensitive search over companies, contacts, deals."""

from __future__ import annotations

import pytest

from tests.databases import ON_POSTGRES
from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    assert_error,
)


@pytest.fixture()
def alice(people, make_auth):
    return make_auth(people.a)


@pytest.fixture()
def book(app):
    from types import SimpleNamespace

    dupont = CompanyFactory(name="Dupont SARL", city="Villeurbanne", status="client",
                            phone="04 78 12 00 00")
    helene = ContactFactory(first_name="Hélène", last_name="Martin", job_title="Acheteuse",
                            email="h.martin@dupont-sarl.fr", mobile="06 12 34 56 78", phone=None)
    CompanyContactFactory(company=dupont, contact=helene)
    return SimpleNamespace(
        dupont=dupont, helene=helene,
        copieurs=DealFactory(name="Copieurs Dupont", company=dupont, stage="proposal"),
        garage=CompanyFactory(name="Garage Éluard", city="Lyon", phone=None),
        paul=ContactFactory(first_name="Paul", last_name="Hellec", phone=None),
    )


def search(auth, query: str) -> list[dict]:
    response = auth.get("/api/search", query_string={"q": query} if query is not None else {})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"items", "next_cursor"} and body["next_cursor"] is None
    return body["items"]


def found(auth, query: str, **params) -> set[str]:
    response = auth.get("/api/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_items_have_type_id_title_subtitle(alice, book):
    items = {item["type"]: item for item in search(alice, "dupont")}

    assert items["company"] == {"type": "company", "id": str(book.dupont.id),
                                "title": "Dupont SARL", "subtitle": "Villeurbanne · Client"}
    assert items["deal"] == {"type": "deal", "id": str(book.copieurs.id),
                             "title": "Copieurs Dupont", "subtitle": "Dupont SARL · Proposition"}
    assert items["contact"]["title"] == "Hélène Martin"  # found by her e-mail's domain
    assert items["contact"]["subtitle"] == "Acheteuse · Dupont SARL"


def test_subtitles_follow_the_locale(alice, book, db, people):
    def deal_subtitle(query: str = "") -> str:
        items = alice.get(f"/api/search?q=copieurs{query}").get_json()["items"]
        return items[0]["subtitle"]

    assert deal_subtitle("&locale=en") == "Dupont SARL · Proposal"
    assert deal_subtitle("&locale=fr") == "Dupont SARL · Proposition"
    people.a.locale = "en"
    db.session.commit()
    assert deal_subtitle() == "Dupont SARL · Proposal"  # the user's own language by default
    assert_error(alice.get("/api/search?q=copieurs&locale=de"), 422, "validation_error")


def test_prefix_case_and_accent_insensitive(alice, book):
    for query in ("hel", "HÉL", "Hél", "héle", "HELENE", "hélène martin"):
        assert str(book.helene.id) in found(alice, query), query


def test_hel_also_finds_other_words_starting_with_hel(alice, book):
    assert found(alice, "hel") == {str(book.helene.id), str(book.paul.id)}


def test_dup_finds_dupont_sarl(alice, book):
    assert str(book.dupont.id) in found(alice, "dup")
    assert found(alice, "eluard") == {str(book.garage.id)}


def test_phone_digits(alice, book):
    assert found(alice, "0612") == {str(book.helene.id)}
    assert found(alice, "06 12 34") == {str(book.helene.id)}
    assert found(alice, "0478") == {str(book.dupont.id)}


def test_email_prefix(alice, book):
    assert found(alice, "h.martin@dup") == {str(book.helene.id)}
    assert str(book.helene.id) in found(alice, "h.martin@dupont-sarl.fr")


def test_several_words_must_all_match(alice, book):
    assert found(alice, "hel mar") == {str(book.helene.id)}
    assert found(alice, "copieurs dup") == {str(book.copieurs.id)}
    assert found(alice, "dupont zzz") == set()


def test_types_filter(alice, book):
    assert found(alice, "dupont", types="company") == {str(book.dupont.id)}
    assert found(alice, "dupont", types="deal,company") == {str(book.dupont.id),
                                                            str(book.copieurs.id)}
    assert found(alice, "dupont", types=" contact ") == {str(book.helene.id)}


def test_unknown_type_is_422(alice, book):
    for types in ("exchange", "company,user", ",", "", "Company"):
        response = alice.get("/api/search", query_string={"q": "dup", "types": types})
        error = assert_error(response, 422, "validation_error")
        assert set(error["fields"]) == {"types"}, types


def test_missing_empty_or_long_query_is_422(alice):
    for params in ({}, {"q": ""}, {"q": "x" * 201}, {"q": "dup", "limit": 51},
                   {"q": "dup", "limit": 0}):
        error = assert_error(alice.get("/api/search", query_string=params), 422,
                             "validation_error")
        assert set(error["fields"]) <= {"q", "limit"}, params


def test_limit(alice):
    CompanyFactory.create_batch(30, name="Multiple")

    assert len(search(alice, "multiple")) == 20
    assert len(alice.get("/api/search?q=multiple&limit=50").get_json()["items"]) == 30


FTS_SYNTAX = ['"', '""', '"dupont', "dup*", "*", "NEAR(dupont sarl)", "dupont NEAR sarl",
              "-dupont", "dupont -sarl", "title:dupont", "body:0612", ":", "(", ")",
              "(dupont OR", "AND", "OR NOT", "^dupont", "{title}: x", "dupont + sarl",
              "'; DROP TABLE companies; --", "\\", "%", "_", "dup\x00ont", "😀", "   ",
              "a\u02d0", "\u2474", "dup:*", "a & b | !c <-> d",
              "a " * 50]


def test_fts_syntax_in_the_query_never_breaks(alice, book):
    for query in FTS_SYNTAX:
        response = alice.get("/api/search", query_string={"q": query})

        if "\x00" in query:  # refused at the door on every database (PostgreSQL cannot hold it)
            assert response.json["error"]["code"] == "invalid_characters"
            continue
        assert response.status_code == 200, (query, response.get_data(as_text=True))
        assert isinstance(response.get_json()["items"], list)


def test_fts_operators_are_taken_as_words(alice, book):
    assert str(book.dupont.id) in found(alice, '"dupont"')
    assert str(book.dupont.id) in found(alice, "dup*")
    assert str(book.dupont.id) in found(alice, "(dupont)")
    assert found(alice, "-hellec") == {str(book.paul.id)}
    assert found(alice, "near") == set()


def test_deleted_records_are_not_found(alice, book, people):
    # the book's records have no owner, so anyone may delete them
    assert alice.delete(f"/api/contacts/{book.helene.id}").status_code == 204
    assert alice.delete(f"/api/deals/{book.copieurs.id}").status_code == 204

    assert found(alice, "hel") == {str(book.paul.id)}
    assert found(alice, "dupont") == {str(book.dupont.id)}


def test_edits_are_reindexed(alice, book):
    response = alice.patch(f"/api/companies/{book.garage.id}",
                           json={"version": 1, "name": "Carrosserie Zola"})
    assert response.status_code == 200

    assert found(alice, "eluard") == set()
    assert found(alice, "zola") == {str(book.garage.id)}
    item = search(alice, "carross")[0]
    assert item["title"] == "Carrosserie Zola"


def test_new_records_are_indexed_at_once(alice):
    created = alice.post("/api/contacts", json={"first_name": "Émile", "last_name": "Zébulon",
                                                "mobile": "07 98 76 54 32"}).get_json()

    assert found(alice, "emi zeb") == {created["id"]}
    assert found(alice, "0798") == {created["id"]}


def test_search_needs_a_login(client):
    assert_error(client.get("/api/search?q=dup"), 401, "unauthorized")


def test_one_uuid_reused_in_two_tables_keeps_both_searchable(alice):
    shared = "5f4178e0-2117-40d9-b978-11d9d9034c21"
    assert alice.post("/api/companies", json={"id": shared, "name": "Quincaillerie Vidal"}
                      ).status_code == 201
    assert alice.post("/api/contacts", json={"id": shared, "last_name": "Vidalie"}
                      ).status_code == 201
    types = {item["type"] for item in search(alice, "vidal")}
    assert types == {"company", "contact"}


@pytest.mark.skipif(not ON_POSTGRES, reason="trigram matching is PostgreSQL's (pg_trgm)")
def test_a_misspelt_name_still_finds_the_record_on_postgresql(alice, book):
    assert found(alice, "Dupond") == {str(book.dupont.id), str(book.copieurs.id)}
    assert found(alice, "Hélenne Martin") == {str(book.helene.id)}
    assert found(alice, "dupond zzz") == set()  # every word must be near one of the title's
