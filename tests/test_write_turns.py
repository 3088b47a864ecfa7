"""Writers waiting on one another hold no pooled connection: readers still get answers.

Found by the load test (bench/run_load.py, PostgreSQL + Redis): writers waiting for the change
counter each held a pooled connection, took the whole pool, and a request waited past the
pool's timeout (500). Here the database's write lock (SQLite) or change counter (PostgreSQL)
is held from outside while four writes queue up on a server whose pool has two connections.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, event, func, make_url, select, text

from app import create_app
from app.config import TestConfig
from app.extensions import db as _db
from app.models import Exchange
from tests.app_server import AppServer
from tests.factories import PASSWORD, CompanyFactory
from tests.http_client import Session

WRITERS = 4


@pytest.fixture()
def server(app, people):
    """The app under a threaded HTTP server, with a pool of 2 connections (none more)."""

    class SmallPool(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        INSTANCE_DIR = app.config["INSTANCE_DIR"]
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 2, "max_overflow": 0, "pool_timeout": 4}
        WRITE_TURNS = 1

    served = create_app(SmallPool)
    http = AppServer(served)
    try:
        yield http.url
    finally:
        http.stop()
        with served.app_context():
            _db.engine.dispose()


class OutsideWriter:
    """Another process holding the lock every write waits for, until release()."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            self.conn = sqlite3.connect(parsed.database, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
            self.release = lambda: (self.conn.execute("ROLLBACK"), self.conn.close())
        else:
            self.engine = create_engine(url)
            self.conn = self.engine.connect()
            self.conn.execute(text("SELECT value FROM change_counter WHERE id = 1 FOR UPDATE"))
            self.release = lambda: (self.conn.rollback(), self.conn.close(),
                                    self.engine.dispose())


def test_readers_are_answered_while_writers_wait(app, db, server):
    company = CompanyFactory()
    db.session.commit()
    clients = []
    for _ in range(WRITERS + 1):
        client = Session(server)
        status, body = client.post("/api/auth/login",
                                   {"email": "alice@example.fr", "password": PASSWORD})
        assert status == 200
        client.csrf = body["csrf_token"]
        clients.append(client)
    answers: list[int] = []

    def write(client: Session) -> None:
        status, _ = client.post("/api/exchanges", {
            "id": str(uuid.uuid4()), "kind": "call", "starts_at": "2026-11-24T09:00:00Z",
            "company_id": str(company.id)})
        answers.append(status)

    outside = OutsideWriter(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        writers = [threading.Thread(target=write, args=(c,)) for c in clients[:WRITERS]]
        for thread in writers:
            thread.start()
        time.sleep(1)  # all four are waiting now, one in the database, three in line

        status, body = clients[-1].get(f"/api/companies/{company.id}")

        assert status == 200, body  # not a 500 after the pool's 4 s
        assert body["name"] == company.name
        assert answers == []
    finally:
        outside.release()
    for thread in writers:
        thread.join(30)
    assert answers == [201] * WRITERS
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == WRITERS


def test_a_write_request_opens_one_write_transaction(app, db, alice):
    """The answer is serialised after the commit and the turn, in a read: what it loads lazily
    (the company's name of a new exchange) takes no second write lock."""
    company = CompanyFactory()
    db.session.commit()
    write_begins: list[str] = []

    def note(conn, cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN IMMEDIATE") or "FOR UPDATE" in statement:
            write_begins.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = alice.post("/api/exchanges", json={
            "id": str(uuid.uuid4()), "kind": "call", "starts_at": "2026-11-24T09:00:00Z",
            "company_id": str(company.id)})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)

    assert response.status_code == 201
    assert response.get_json()["company_name"] == company.name
    assert len(write_begins) == 1, write_begins


def test_no_more_requests_run_at_once_than_the_request_turns(app, db, people, monkeypatch):
    """Hundreds of server threads, but REQUEST_TURNS views at once; the others wait in line
    and are answered too."""
    from app.services import records

    company = CompanyFactory()
    db.session.commit()
    running, most = [0], [0]
    lock = threading.Lock()
    get_live = records.get_live

    def timed(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return get_live(*args, **kwargs)

    monkeypatch.setattr(records, "get_live", timed)

    class TwoTurns(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        INSTANCE_DIR = app.config["INSTANCE_DIR"]
        REQUEST_TURNS = 2

    served = create_app(TwoTurns)
    http = AppServer(served)
    try:
        client = Session(http.url)
        _, body = client.post("/api/auth/login",
                              {"email": "alice@example.fr", "password": PASSWORD})
        client.csrf = body["csrf_token"]
        answers: list[int] = []
        readers = [threading.Thread(target=lambda: answers.append(
            client.get(f"/api/companies/{company.id}")[0])) for _ in range(6)]
        for thread in readers:
            thread.start()
        for thread in readers:
            thread.join(30)
    finally:
        http.stop()
        with served.app_context():
            _db.engine.dispose()

    assert answers == [200] * 6
    assert most[0] == 2


def test_a_request_that_waits_too_long_is_told_to_come_back_and_changes_nothing(
        app, alice, db_state):
    """Every write turn busy past WRITE_TURN_WAIT_SECONDS: 503 server_busy with Retry-After,
    in the error shape and the user's language, nothing written; reads still answered."""
    import threading as _threading

    app.config["WRITE_TURN_WAIT_SECONDS"] = 0.2
    turns = app.extensions.setdefault(
        "write_turns", _threading.BoundedSemaphore(app.config["WRITE_TURNS"]))
    for _ in range(app.config["WRITE_TURNS"]):
        assert turns.acquire(timeout=1)  # other writers hold every turn
    before = db_state()
    try:
        refused = alice.post("/api/companies", json={"name": "Dupont SA"},
                             headers={"Accept-Language": "fr"})
        read = alice.get("/api/companies")
    finally:
        for _ in range(app.config["WRITE_TURNS"]):
            turns.release()

    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert refused.json["error"]["code"] == "server_busy"
    assert refused.json["error"]["message"].startswith("Le serveur est trop occupé")
    assert db_state() == before
    assert read.status_code == 200
    assert alice.post("/api/companies", json={"name": "Dupont SA"}).status_code == 201


def test_a_thread_holds_no_turn_once_its_request_is_answered(app, alice):
    """Threads serve request after request: a write's turns must all be given back, in
    whatever order they end, or the thread's next writes would skip the line."""
    from app.api.common import _held

    assert alice.post("/api/companies", json={"name": "Dupont SA"}).status_code == 201
    assert _held.get() == frozenset()  # the test client answers on this thread
    turns = app.extensions["write_turns"]
    assert turns.acquire(timeout=0)  # and every turn is free again
    turns.release()
