"""Full-text search over companies, contacts and deals.

SQLite: an FTS5 table (unicode61, diacritics removed, prefix indexes). PostgreSQL: a table of
tsvectors ('simple' configuration over unaccent()) with a GIN index, plus a trigram index on the
folded title so a misspelt name still finds its record when no word matches.

Both databases also keep every word of every record, folded, in a B-tree table
(search_index_words): a query of one to three letters reads it in order instead of ranking
the thousands of records those letters start (docs/decisions.md, "Short prefixes").
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Iterable

from sqlalchemy import DDL, TextClause, event, or_, select, text
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.models import Company, CompanyContact, Contact, Deal

TYPES = ("company", "contact", "deal")
MODELS = {"company": Company, "contact": Contact, "deal": Deal}
ENTITY_OF = {model: entity for entity, model in MODELS.items()}
MAX_TERMS = 8
# A single word this short is a name being typed: it is looked up in the word table, names
# first, alphabetically, rather than ranked among every record holding a word it starts.
SHORT_PREFIX = 3
# What _describe() reads, loaded in one query per relation rather than one per hit.
LOAD = {
    "company": (),
    "contact": (selectinload(Contact.company_links).selectinload(CompanyContact.company),),
    "deal": (selectinload(Deal.company),),
}

# unicode61 with remove_diacritics 2 folds "Hélène" to "helene"; prefix indexes make "hel*"
# cheap. Up to 6 letters: a name typed whole ("thomas noel") is one doclist per word instead
# of the merge of every word it starts, twice as fast for 45% more index (bench/RESULTS.md).
CREATE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "entity UNINDEXED, entity_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6')"
)
event.listen(db.metadata, "after_create", DDL(CREATE_FTS).execute_if(dialect="sqlite"))
# The same table on PostgreSQL; the extensions are trusted ones (PostgreSQL 13+), so the
# database owner may create them. `folded` is the title lower-cased without accents.
CREATE_PG = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS search_index ("
    " rowid bigint PRIMARY KEY, entity varchar(16) NOT NULL, entity_id char(32) NOT NULL,"
    " title text NOT NULL, body text NOT NULL, folded text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_document ON search_index USING gin (document)"
    " WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_folded ON search_index"
    " USING gin (folded gin_trgm_ops) WITH (fastupdate = off)",
]
# GIN's fast update queues new entries in a list every search then reads in full, until a
# vacuum merges it: up to 4 MB, 3 ms more per search after a day of writes. Writes here are a
# few a second at most, so each goes straight into the index instead.
GIN_DIRECT = [
    "ALTER INDEX ix_search_index_document SET (fastupdate = off)",
    "ALTER INDEX ix_search_index_folded SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('ix_search_index_document')",
    "SELECT gin_clean_pending_list('ix_search_index_folded')",
]
for statement in CREATE_PG:
    event.listen(db.metadata, "after_create", DDL(statement).execute_if(dialect="postgresql"))
# One row per (record, folded word): tier 0 for the words of the title (the name), 1 for the
# others; `sort_key` is the folded title. Byte order ("C") so that a prefix is a range.
CREATE_WORDS = {
    "sqlite": [
        "CREATE TABLE IF NOT EXISTS search_index_words (doc INTEGER NOT NULL,"
        " tier INTEGER NOT NULL, word TEXT NOT NULL, sort_key TEXT NOT NULL,"
        " entity TEXT NOT NULL, entity_id TEXT NOT NULL)",
    ],
    "postgresql": [
        "CREATE TABLE IF NOT EXISTS search_index_words (doc bigint NOT NULL,"
        " tier smallint NOT NULL, word text COLLATE \"C\" NOT NULL,"
        " sort_key text COLLATE \"C\" NOT NULL, entity varchar(16) NOT NULL,"
        " entity_id char(32) NOT NULL)",
    ],
}
WORD_INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_search_index_words_prefix"
    " ON search_index_words (tier, word, sort_key)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_words_doc ON search_index_words (doc)",
]
for dialect, statements in CREATE_WORDS.items():
    for statement in statements + WORD_INDEXES:
        event.listen(db.metadata, "after_create", DDL(statement).execute_if(dialect=dialect))
event.listen(db.metadata, "before_drop", DDL("DROP TABLE IF EXISTS search_index_words"))
event.listen(db.metadata, "before_drop", DDL("DROP TABLE IF EXISTS search_index"))


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def _document(obj) -> tuple[str, str]:
    """Return (title, body) to index for a record."""
    if isinstance(obj, Company):
        return obj.name, " ".join(filter(None, [obj.city, obj.postal_code, obj.email,
                                               obj.phone, _digits(obj.phone)]))
    if isinstance(obj, Contact):
        return obj.full_name, " ".join(filter(None, [
            obj.email, obj.job_title, obj.phone, _digits(obj.phone), obj.mobile,
            _digits(obj.mobile)]))
    return obj.name, ""


def _rowid(entity: str, entity_id: uuid.UUID) -> int:
    # A stable 64-bit key per (type, id), so a record's row is found without a scan; the type
    # is hashed in because a client may reuse one UUID in two tables.
    digest = hashlib.blake2b(entity.encode() + entity_id.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _words(value: str) -> str:
    # PostgreSQL's parser keeps "jean.dupont@acme.fr" whole; FTS5 splits it into words.
    return " ".join(re.findall(r"\w+", value))


def fold(value: str) -> str:
    """Lower case without accents, as FTS5's remove_diacritics and unaccent() fold."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded_words(value: str) -> list[str]:
    return re.findall(r"\w+", fold(value))


def word_rows(doc: int, entity: str, entity_hex: str, title: str, body: str) -> list[dict]:
    """The word table's rows for one index row: each folded word once, title words first."""
    title_words = _folded_words(title)
    tiers: dict[str, int] = {}
    for tier, words in ((0, title_words), (1, _folded_words(body))):
        for word in words:
            tiers.setdefault(word[:64], tier)
    sort_key = " ".join(title_words)[:200]
    return [{"d": doc, "k": tier, "w": word, "s": sort_key, "e": entity, "i": entity_hex}
            for word, tier in tiers.items()]


INSERT_WORDS = text("INSERT INTO search_index_words (doc, tier, word, sort_key, entity,"
                    " entity_id) VALUES (:d, :k, :w, :s, :e, :i)")


def _index_row(obj) -> dict:
    title, body = _document(obj)
    entity = ENTITY_OF[type(obj)]
    return {"r": _rowid(entity, obj.id), "e": entity, "i": obj.id.hex, "t": title, "b": body,
            "tw": _words(title), "bw": _words(body)}


INSERT_ROW = {
    "sqlite": text("INSERT INTO search_index (rowid, entity, entity_id, title, body) "
                   "VALUES (:r, :e, :i, :t, :b)"),
    "postgresql": text(
        "INSERT INTO search_index (rowid, entity, entity_id, title, body, folded, document) "
        "VALUES (:r, :e, :i, :t, :b, lower(unaccent(:t)),"
        " setweight(to_tsvector('simple', unaccent(:tw)), 'A')"
        " || setweight(to_tsvector('simple', unaccent(:bw)), 'B'))"),
}


def _insert_row(session: Session) -> TextClause | None:
    """The dialect's insert statement, or None where there is no index (LIKE is used)."""
    return INSERT_ROW.get(session.get_bind().dialect.name)


def reindex_objects(session: Session, objs: Iterable) -> None:
    """Refresh the index rows of the given records (deleted ones are removed)."""
    insert = _insert_row(session)
    if insert is None:
        return
    records = [o for o in objs if type(o) in ENTITY_OF and o.id is not None]
    if not records:
        return
    conn = session.connection()
    gone = [{"r": _rowid(ENTITY_OF[type(o)], o.id)} for o in records]
    conn.execute(text("DELETE FROM search_index WHERE rowid = :r"), gone)
    conn.execute(text("DELETE FROM search_index_words WHERE doc = :r"), gone)
    live = [_index_row(o) for o in records if o.deleted_at is None and o not in session.deleted]
    if live:
        _insert_rows(conn, insert, live)


def _insert_rows(conn, insert: TextClause, rows: list[dict]) -> None:
    conn.execute(insert, rows)
    _insert_words(conn, [(r["r"], r["e"], r["i"], r["t"], r["b"]) for r in rows])


def _insert_words(conn, docs: list[tuple]) -> int:
    """Write the word rows of index rows given as (rowid, entity, entity_id, title, body);
    return how many."""
    words = [w for doc in docs for w in word_rows(*doc)]
    if words:
        conn.execute(INSERT_WORDS, words)
    return len(words)


def rebuild_search_index(session: Session) -> int:
    """Rebuild the whole index from the tables; return the number of rows indexed."""
    insert = _insert_row(session)
    if insert is None:
        return 0
    conn = session.connection()
    conn.execute(text("DELETE FROM search_index"))
    conn.execute(text("DELETE FROM search_index_words"))
    count = 0
    for model in MODELS.values():
        stmt = select(model).where(model.deleted_at.is_(None)).execution_options(yield_per=5000)
        for batch in session.scalars(stmt).partitions():
            _insert_rows(conn, insert, [_index_row(o) for o in batch])
            count += len(batch)
    session.expunge_all()  # tens of thousands of objects loaded only to be indexed
    return count


def upgrade_index(conn) -> int:
    """Bring an index built before the word table up to date, from its own rows: SQLite's FTS5
    table made again with the longer prefixes, PostgreSQL's GIN indexes without fast update,
    then the word table filled (both databases); return the number of word rows written."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("CREATE TEMP TABLE search_index_old AS"
                          " SELECT rowid AS r, entity, entity_id, title, body FROM search_index"))
        conn.execute(text("DROP TABLE search_index"))
        conn.execute(text(CREATE_FTS))
        conn.execute(text("INSERT INTO search_index (rowid, entity, entity_id, title, body)"
                          " SELECT r, entity, entity_id, title, body FROM search_index_old"))
        conn.execute(text("DROP TABLE search_index_old"))
    else:
        for statement in GIN_DIRECT:
            conn.execute(text(statement))
    for statement in CREATE_WORDS[conn.dialect.name] + WORD_INDEXES:
        conn.execute(text(statement))
    return fill_words(conn)


def fill_words(conn) -> int:
    """Fill the word table from the index rows (a database that had only the index); return
    the number of rows written."""
    conn.execute(text("DELETE FROM search_index_words"))
    # Read whole first: SQLite's cursor would see the inserts of the same connection.
    docs = conn.execute(text(
        "SELECT rowid, entity, entity_id, title, body FROM search_index")).all()
    return sum(_insert_words(conn, docs[start:start + 5000])
               for start in range(0, len(docs), 5000))


def _words_of(q: str) -> list[str]:
    return re.findall(r"\w+", q.lower())[:MAX_TERMS]


def fts_query(q: str) -> str | None:
    """Turn user input into an FTS5 query: every word as a quoted prefix, all required."""
    return " ".join(f'"{w}"*' for w in _words_of(q)) or None


def _short_prefix(q: str) -> str | None:
    """The folded word of a one-word query of at most SHORT_PREFIX letters, else None."""
    words = _folded_words(q)
    if len(words) == 1 and len(words[0]) <= SHORT_PREFIX:
        return words[0]
    return None


SHORT_MATCH = {
    "sqlite": text("SELECT entity, entity_id FROM search_index_words"
                   " WHERE tier = :k AND word >= :lo AND word < :hi"
                   " AND entity IN (SELECT value FROM json_each(:types))"
                   " ORDER BY word, sort_key LIMIT :n"),
    "postgresql": text("SELECT entity, entity_id FROM search_index_words"
                       " WHERE tier = :k AND word >= :lo AND word < :hi"
                       " AND entity = ANY(CAST(:types AS text[]))"
                       " ORDER BY word, sort_key LIMIT :n"),
}


def _short_ids(session: Session, prefix: str, types: tuple[str, ...],
               limit: int) -> list[tuple]:
    """Records with a word starting with `prefix`: names first, then the other fields; within
    each, by the word then the name, alphabetically. Reads at most a few index pages."""
    dialect = session.get_bind().dialect.name
    # The first string after every word starting with `prefix`, in byte order.
    hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    types_param = list(types) if dialect == "postgresql" else json.dumps(list(types))
    found: dict[tuple, None] = {}
    for tier in (0, 1):
        # A record may hold two words with the prefix: read a few more rows than needed.
        rows = session.execute(SHORT_MATCH[dialect], {
            "k": tier, "lo": prefix, "hi": hi, "types": types_param, "n": limit * 3})
        for entity, entity_id in rows:
            found.setdefault((entity, uuid.UUID(hex=entity_id)), None)
            if len(found) == limit:
                return list(found)
    return list(found)


def _match_ids(session: Session, q: str, types: tuple[str, ...], limit: int) -> list[tuple]:
    """(entity, uuid) of the best matches; MATCH stays alone in its own subquery."""
    query = fts_query(q)
    if query is None:
        return []
    rows = session.execute(
        text("SELECT entity, entity_id FROM ("
             "  SELECT entity, entity_id, bm25(search_index, 0, 0, 10, 1) AS score"
             "  FROM search_index WHERE search_index MATCH :q"
             ") WHERE entity IN (SELECT value FROM json_each(:types))"
             " ORDER BY score LIMIT :n"),
        {"q": query, "types": json.dumps(list(types)), "n": limit},
    )
    return [(entity, uuid.UUID(hex=entity_id)) for entity, entity_id in rows]


# Title words weigh ten times the others, as bm25(..., 10, 1) does on SQLite.
# Every word a prefix, all required; each quoted after unaccent(), which may turn a letter
# into an operator (U+02D0, a phonetic colon, becomes ":").
PG_MATCH = text(
    "SELECT entity, entity_id FROM search_index, to_tsquery('simple', ("
    "  SELECT string_agg(quote_literal(unaccent(w)) || ':*', ' & ')"
    "  FROM unnest(CAST(:words AS text[])) AS w)) AS query"
    " WHERE document @@ query AND entity = ANY(:types)"
    " ORDER BY ts_rank('{0, 0, 0.1, 1}', document, query) DESC, title LIMIT :n")


def _pg_similar(words: list[str]) -> TextClause:
    """No word matched: titles holding a word close to each typed one ("Dupond" -> Dupont)."""
    close = " AND ".join(f"lower(unaccent(:w{i})) <% folded" for i in range(len(words)))
    nearness = " + ".join(f"word_similarity(lower(unaccent(:w{i})), folded)"
                          for i in range(len(words)))
    return text(f"SELECT entity, entity_id FROM search_index WHERE {close}"
                f" AND entity = ANY(:types) ORDER BY {nearness} DESC, title LIMIT :n")


def _pg_match_ids(session: Session, q: str, types: tuple[str, ...], limit: int) -> list[tuple]:
    """(entity, uuid) of the best matches on PostgreSQL: words first, then near spellings."""
    words = _words_of(q)
    if not words:
        return []
    params = {"words": words, "types": list(types), "n": limit}
    rows = session.execute(PG_MATCH, params).all()
    if not rows:
        rows = session.execute(_pg_similar(words), {
            **params, **{f"w{i}": word for i, word in enumerate(words)}}).all()
    return [(entity, uuid.UUID(hex=entity_id)) for entity, entity_id in rows]


def _like_ids(session: Session, q: str, types: tuple[str, ...], limit: int) -> list[tuple]:
    """Portable fallback for other databases: a prefix LIKE on the main columns."""
    pattern = f"{q.strip()}%"
    found = []
    columns = {"company": [Company.name], "contact": [Contact.last_name, Contact.first_name,
                                                      Contact.email], "deal": [Deal.name]}
    for entity in types:
        model = MODELS[entity]
        cond = or_(*(c.ilike(pattern) for c in columns[entity]))
        ids = session.scalars(select(model.id).where(cond, model.deleted_at.is_(None)).limit(limit))
        found += [(entity, i) for i in ids]
    return found[:limit]


FINDERS = {"sqlite": _match_ids, "postgresql": _pg_match_ids}


def match_ids(session: Session, q: str, types: tuple[str, ...] = TYPES,
              limit: int = 20) -> list[tuple]:
    """(entity, uuid) of the best matches for `q`, best first: the index's query alone."""
    dialect = session.get_bind().dialect.name
    prefix = _short_prefix(q) if dialect in SHORT_MATCH else None
    hits = _short_ids(session, prefix, types, limit) if prefix else []
    if not hits:  # not a short prefix, or no word starts with it: the full-text search
        hits = FINDERS.get(dialect, _like_ids)(session, q, types, limit)
    return hits

# Subtitles are read by people: status and stage in the user's language.
LABELS = {
    "fr": {"prospect": "Prospect", "client": "Client", "suspect": "Suspect",
           "prospecting": "Prospection", "qualification": "Qualification",
           "proposal": "Proposition", "negotiation": "Négociation", "won": "Gagnée",
           "lost": "Perdue"},
    "en": {"prospect": "Prospect", "client": "Client", "suspect": "Suspect",
           "prospecting": "Prospecting", "qualification": "Qualification",
           "proposal": "Proposal", "negotiation": "Negotiation", "won": "Won", "lost": "Lost"},
}


def _describe(obj, labels: dict[str, str]) -> tuple[str, str]:
    if isinstance(obj, Company):
        return obj.name, " · ".join(filter(None, [obj.city, labels[obj.status]]))
    if isinstance(obj, Contact):
        companies = [link.company.name for link in obj.company_links]
        return obj.full_name, " · ".join(filter(None, [obj.job_title, *companies[:1]]))
    return obj.name, " · ".join(filter(None, [obj.company.name, labels[obj.stage]]))


def search(session: Session, q: str, types: tuple[str, ...] = TYPES, limit: int = 20,
           locale: str = "fr") -> list[dict]:
    """Find records whose words start with the words of `q`, best first."""
    hits = match_ids(session, q, types, limit)
    loaded: dict[str, dict] = {}
    for entity in {e for e, _ in hits}:
        model = MODELS[entity]
        ids = [i for e, i in hits if e == entity]
        stmt = select(model).where(model.id.in_(ids), model.deleted_at.is_(None))
        loaded[entity] = {o.id: o for o in session.scalars(stmt.options(*LOAD[entity]))}
    items = []
    for entity, record_id in hits:
        obj = loaded[entity].get(record_id)
        if obj is not None:
            title, subtitle = _describe(obj, LABELS.get(locale, LABELS["fr"]))
            items.append({"type": entity, "id": record_id, "title": title, "subtitle": subtitle})
    return items

