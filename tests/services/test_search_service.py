"""app.services.search: the FTS5 index and the query builder."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services import search
from tests.factories import CompanyContactFactory, CompanyFactory, ContactFactory, DealFactory


def index_rows(db) -> list[tuple]:
    return db.session.execute(text(
        "SELECT entity, entity_id, title, body FROM search_index ORDER BY title")).all()


@pytest.mark.parametrize(("query", "expected"), [
    ("hel", '"hel"*'),
    ("Hélène Martin", '"hélène"* "martin"*'),
    ('"dupont" OR NEAR(x*)', '"dupont"* "or"* "near"* "x"*'),
    ("h.martin@dupont.fr", '"h"* "martin"* "dupont"* "fr"*'),
    ("-dupont:title", '"dupont"* "title"*'),
    ("06 12 34", '"06"* "12"* "34"*'),
    ("a b c d e f g h i j", '"a"* "b"* "c"* "d"* "e"* "f"* "g"* "h"*'),  # at most 8 words
])
def test_fts_query_quotes_every_word_as_a_prefix(query, expected):
    assert search.fts_query(query) == expected


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "()", "-:^", "😀"])
def test_fts_query_without_words_is_none(query):
    assert search.fts_query(query) is None


def test_records_are_indexed_on_write_with_phone_digits(db):
    company = CompanyFactory(name="Dupont SARL", city="Lyon", phone="04 72 00 00 00",
                             postal_code="69003", email=None)
    contact = ContactFactory(first_name="Hélène", last_name="Martin", mobile="06 12 34 56 78",
                             phone=None, email="h@d.fr", job_title=None)

    rows = {row.entity_id: row for row in index_rows(db)}

    assert rows[company.id.hex].entity == "company"
    assert rows[company.id.hex].title == "Dupont SARL"
    assert "0472000000" in rows[company.id.hex].body and "69003" in rows[company.id.hex].body
    assert rows[contact.id.hex].title == "Hélène Martin"
    assert "0612345678" in rows[contact.id.hex].body and "h@d.fr" in rows[contact.id.hex].body


def test_edit_replaces_the_row_and_delete_removes_it(db):
    company = CompanyFactory(name="Avant")
    company.name = "Après"
    db.session.commit()

    assert [row.title for row in index_rows(db)] == ["Après"]

    company.deleted_at = company.created_at
    db.session.commit()
    assert index_rows(db) == []


def test_rebuild_restores_a_lost_index(db):
    CompanyFactory.create_batch(3)
    ContactFactory()
    gone = DealFactory()
    gone.deleted_at = gone.created_at
    db.session.commit()
    db.session.execute(text("DELETE FROM search_index"))

    count = search.rebuild_search_index(db.session)

    assert count == 5  # 4 companies (one is the deal's), 1 contact; the deleted deal is left out
    assert len(index_rows(db)) == 5


def test_search_ranks_titles_first_and_describes_hits(db):
    dupont = CompanyFactory(name="Dupont", city="Lyon", status="client")
    helene = ContactFactory(first_name="Hélène", last_name="Martin", job_title="Acheteuse",
                            email="helene@dupont.fr")
    CompanyContactFactory(company=dupont, contact=helene)

    items = search.search(db.session, "dupont")

    assert items[0] == {"type": "company", "id": dupont.id, "title": "Dupont",
                        "subtitle": "Lyon · Client"}
    assert items[1]["type"] == "contact" and items[1]["subtitle"] == "Acheteuse · Dupont"
    deal = DealFactory(name="Dupont 2027", company=dupont, stage="won")
    described = {i["id"]: i["subtitle"] for i in search.search(db.session, "dupont", ("deal",),
                                                                locale="en")}
    assert described == {deal.id: "Dupont · Won"}


def test_search_types_and_limit(db):
    company = CompanyFactory(name="Alpha")
    DealFactory(name="Alpha deal", company=company)
    ContactFactory(last_name="Alphonse")

    assert {i["type"] for i in search.search(db.session, "alp", ("deal",))} == {"deal"}
    assert len(search.search(db.session, "alp", search.TYPES, limit=2)) == 2
    assert len(search.search(db.session, "alp")) == 3
    assert search.search(db.session, "***") == []
