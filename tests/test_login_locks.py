"""A login's password check (scrypt in production: long) holds no lock that others wait for,
nor a pooled connection.

Found by the load test (bench/run_load.py): with 200 salespeople logging in on SQLite, every
login held the database's write lock while hashing, writers queued behind the hashes past the
busy timeout, and answered 500 "database is locked"; then, with that fixed, logins hashing
with a connection checked out emptied the pool and a request timed out waiting for one.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.orm import Session

from app.models import LoginFailure, User
from app.services.sessions import Throttle, account_key, record_failure
from tests.factories import PASSWORD, assert_error


def others_must_wait(app, email: str) -> bool:
    """Whether, right now, another writer (SQLite) or another attempt on the account
    (PostgreSQL) would have to wait, probed from a connection of its own."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if on_sqlite(app):
        conn = sqlite3.connect(url.database, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return True
        finally:
            conn.close()
    key = int.from_bytes(bytes.fromhex(account_key(email)[:16]), "big", signed=True)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not conn.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})
    finally:
        engine.dispose()


@pytest.mark.parametrize(("password", "status"), [(PASSWORD, 200), ("not-the-password", 401)])
def test_the_password_check_holds_no_lock_nor_connection(app, client, people, db, monkeypatch,
                                                         password, status):
    seen: list[tuple[bool, int]] = []
    check = User.check_password

    def probed(user: User, typed: str) -> bool:
        seen.append((others_must_wait(app, user.email), db.engine.pool.checkedout()))
        return check(user, typed)

    monkeypatch.setattr(User, "check_password", probed)
    db.session.rollback()
    idle = db.engine.pool.checkedout()  # the test's own, if any

    response = client.post("/api/auth/login",
                           json={"email": "alice@example.fr", "password": password})

    assert response.status_code == status
    # Nobody waits for the hash, and the pool has every connection the login does not need.
    assert seen == [(False, idle)]
    failures = db.session.scalar(select(func.count()).select_from(LoginFailure))
    assert failures == (status == 401)  # a failure is still counted, in its own turn
    if status == 200:
        assert client.get("/api/auth/me").get_json()["user"]["email"] == "alice@example.fr"


def test_an_attempt_whose_account_got_throttled_meanwhile_is_refused(app, client, people, db,
                                                                      monkeypatch):
    """Ten failures counted by other attempts while this one hashed: this one waits too,
    even with the right password, and is not counted."""
    check = User.check_password
    rules = Throttle(max_failures=10, window=timedelta(minutes=15))

    def others_fail_meanwhile(user: User, typed: str) -> bool:
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"],
                               connect_args={"timeout": 1} if on_sqlite(app) else {})
        try:
            with Session(engine) as other:
                for _ in range(10):
                    record_failure(other, "alice@example.fr", "192.0.2.1", rules)
                other.commit()
        finally:
            engine.dispose()
        return check(user, typed)

    monkeypatch.setattr(User, "check_password", others_fail_meanwhile)

    response = client.post("/api/auth/login",
                           json={"email": "alice@example.fr", "password": PASSWORD})

    assert_error(response, 429, "too_many_attempts")
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 10
    assert_error(client.get("/api/auth/me"), 401)


def on_sqlite(app) -> bool:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite"
