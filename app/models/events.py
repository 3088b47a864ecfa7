"""Engine and session hooks: SQLite pragmas, versions, change sequence, search index."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models.base import SyncedMixin, utcnow

_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


@contextmanager
def writing():
    """Mark the work inside as a write, so SQLite takes its write lock at BEGIN."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


@contextmanager
def reading():
    """Undo writing() for the work inside: transactions begun there take no write lock."""
    token = _write_intent.set(False)
    try:
        yield
    finally:
        _write_intent.reset(token)


def install_postgres_write_lock(engine: Engine) -> None:
    """PostgreSQL: a writing() transaction takes the change counter's row lock as it begins,
    as SQLite's BEGIN IMMEDIATE takes the write lock. What it reads before writing is then
    what it writes over: under READ COMMITTED a check-then-write (an alert snoozed while the
    sweep resolves it, two edits of one version) could otherwise interleave with another's."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        if _write_intent.get():
            conn.exec_driver_sql("SELECT value FROM change_counter WHERE id = 1 FOR UPDATE")


def install_sqlite_pragmas(engine: Engine) -> None:
    """Turn on WAL and foreign keys for every SQLite connection; BEGIN IMMEDIATE for writes."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # A deferred transaction that reads, then writes, fails with "database is locked"
        # when another writer committed in between; taking the lock first makes it wait.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun by _begin above
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


def next_change_seqs(session: Session, count: int) -> range:
    """Reserve `count` change sequence numbers inside the current transaction."""
    top = session.connection().execute(
        text("UPDATE change_counter SET value = value + :n WHERE id = 1 RETURNING value"),
        {"n": count},
    ).scalar_one()
    return range(top - count + 1, top + 1)


@event.listens_for(Session, "before_flush")
def _stamp_synced_rows(session: Session, _ctx, _instances) -> None:
    """Bump version and updated_at of edited rows; give every written row a change_seq."""
    now = utcnow()
    touched = [o for o in session.new if isinstance(o, SyncedMixin)]
    for obj in session.dirty:
        if isinstance(obj, SyncedMixin) and session.is_modified(obj, include_collections=True):
            obj.version = (obj.version or 0) + 1
            obj.updated_at = now
            touched.append(obj)
    if touched:
        from app.live.commit import note_written

        for obj, seq in zip(touched, next_change_seqs(session, len(touched)), strict=True):
            obj.change_seq = seq
        note_written(session, touched)


@event.listens_for(Session, "after_flush")
def _index_for_search(session: Session, _ctx) -> None:
    """Keep the full-text index in step with companies, contacts and deals."""
    from app.services.search import reindex_objects

    objs = [*session.new, *session.dirty, *session.deleted]
    reindex_objects(session, objs)
