"""Full-text search over companies, contacts and deals (SQLite FTS5; LIKE elsewhere)."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable

from sqlalchemy import DDL, event, or_, select, text
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.models import Company, CompanyContact, Contact, Deal

TYPES = ("company", "contact", "deal")
MODELS = {"company": Company, "contact": Contact, "deal": Deal}
ENTITY_OF = {model: entity for entity, model in MODELS.items()}
MAX_TERMS = 8
# What _describe() reads, loaded in one query per relation rather than one per hit.
LOAD = {
    "company": (),
    "contact": (selectinload(Contact.company_links).selectinload(CompanyContact.company),),
    "deal": (selectinload(Deal.company),),
}

# unicode61 with remove_diacritics 2 folds "Hélène" to "helene"; prefix indexes make "hel*" cheap.
CREATE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "entity UNINDEXED, entity_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)
event.listen(db.metadata, "after_create", DDL(CREATE_FTS).execute_if(dialect="sqlite"))
DROP_FTS = DDL("DROP TABLE IF EXISTS search_index").execute_if(dialect="sqlite")
event.listen(db.metadata, "before_drop", DROP_FTS)


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


def _index_row(obj) -> dict:
    title, body = _document(obj)
    entity = ENTITY_OF[type(obj)]
    return {"r": _rowid(entity, obj.id), "e": entity, "i": obj.id.hex, "t": title, "b": body}


INSERT_ROW = text("INSERT INTO search_index (rowid, entity, entity_id, title, body) "
                  "VALUES (:r, :e, :i, :t, :b)")


def reindex_objects(session: Session, objs: Iterable) -> None:
    """Refresh the index rows of the given records (deleted ones are removed)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    records = [o for o in objs if type(o) in ENTITY_OF and o.id is not None]
    if not records:
        return
    conn = session.connection()
    conn.execute(text("DELETE FROM search_index WHERE rowid = :r"),
                 [{"r": _rowid(ENTITY_OF[type(o)], o.id)} for o in records])
    live = [_index_row(o) for o in records if o.deleted_at is None and o not in session.deleted]
    if live:
        conn.execute(INSERT_ROW, live)


def rebuild_search_index(session: Session) -> int:
    """Rebuild the whole index from the tables; return the number of rows indexed."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    conn = session.connection()
    conn.execute(text("DELETE FROM search_index"))
    count = 0
    for model in MODELS.values():
        stmt = select(model).where(model.deleted_at.is_(None)).execution_options(yield_per=5000)
        for batch in session.scalars(stmt).partitions():
            conn.execute(INSERT_ROW, [_index_row(o) for o in batch])
            count += len(batch)
    session.expunge_all()  # tens of thousands of objects loaded only to be indexed
    return count


def fts_query(q: str) -> str | None:
    """Turn user input into an FTS5 query: every word as a quoted prefix, all required."""
    words = re.findall(r"\w+", q.lower())[:MAX_TERMS]
    return " ".join(f'"{w}"*' for w in words) or None


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


def _like_ids(session: Session, q: str, types: tuple[str, ...], limit: int) -> list[tuple]:
    """Portable fallback for databases without FTS5 (PostgreSQL gets tsvector later)."""
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
    finder = _match_ids if session.get_bind().dialect.name == "sqlite" else _like_ids
    hits = finder(session, q, types, limit)
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

