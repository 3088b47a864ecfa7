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


def word_rows(db) -> list[tuple]:
    return db.session.execute(text(
        "SELECT tier, word, sort_key FROM search_index_words ORDER BY tier, word")).all()


def test_a_short_prefix_lists_names_first_alphabetically_then_other_fields(db):
    """One to three letters are a name being typed: every record with a name word starting
    with them, by that word then the name, before the records where only another field has
    one (an e-mail, a city), whatever their number."""
    later = ContactFactory(first_name="Zoé", last_name="Dupuis", email=None, job_title=None)
    first = ContactFactory(first_name="Yves", last_name="Dupont", email=None, job_title=None)
    company = CompanyFactory(name="Établissements Dupond", city=None, email=None, phone=None)
    by_mail = ContactFactory(first_name="Anne", last_name="Martin",
                             email="anne@dupont-freres.fr", job_title=None)

    hits = search.match_ids(db.session, "DUP")

    assert [i for _, i in hits] == [company.id, first.id, later.id, by_mail.id]
    assert [i for _, i in search.match_ids(db.session, "ét")] == [company.id]  # accents folded
    assert [i for _, i in search.match_ids(db.session, "etab")] == [company.id]  # FTS5: same
    assert [i for _, i in search.match_ids(db.session, "dup", ("company",))] == [company.id]
    assert len(search.match_ids(db.session, "dup", limit=2)) == 2


def test_a_record_with_two_words_of_the_prefix_comes_once(db):
    both = ContactFactory(first_name="Marie", last_name="Martin", email="marie@martin.fr")
    other = ContactFactory(first_name="Marc", last_name="Petit", email=None)

    assert [i for _, i in search.match_ids(db.session, "mar")] == [other.id, both.id]


def test_the_word_table_follows_edits_and_deletes(db):
    company = CompanyFactory(name="Boulangerie Avant", city="Lyon", email=None, phone=None,
                             postal_code=None)
    assert word_rows(db) == [(0, "avant", "boulangerie avant"),
                             (0, "boulangerie", "boulangerie avant"),
                             (1, "lyon", "boulangerie avant")]

    company.name = "Boulangerie Après"
    db.session.commit()
    assert search.match_ids(db.session, "ava") == []
    assert search.match_ids(db.session, "apr") == [("company", company.id)]

    company.deleted_at = company.created_at
    db.session.commit()
    assert word_rows(db) == []
    assert search.match_ids(db.session, "bou") == []


def test_rebuild_and_upgrade_fill_the_word_table(db):
    CompanyFactory(name="Alpha Conseil")
    ContactFactory(first_name="Hélène", last_name="Martin")
    db.session.execute(text("DELETE FROM search_index_words"))

    search.rebuild_search_index(db.session)
    rebuilt = word_rows(db)
    assert {w for _, w, _ in rebuilt} >= {"alpha", "conseil", "helene", "martin"}

    # As migration e7f1a2b3c4d5 does on a database that had only the index: the same rows.
    db.session.execute(text("DROP TABLE search_index_words"))
    search.upgrade_index(db.session.connection())
    assert word_rows(db) == rebuilt
    assert search.match_ids(db.session, "hel")[0][0] == "contact"
