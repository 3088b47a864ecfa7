"""Fixtures: app on a temporary SQLite file (or PostgreSQL, see tests/databases.py), client,
db, auth helper."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import TestConfig
from app.extensions import db as _db
from app.services.setup import prepare_database
from tests.databases import ON_POSTGRES, drop_created, fresh_database


def pytest_sessionfinish(session, exitstatus) -> None:
    drop_created()


def pytest_report_header(config) -> str:
    return f"database: {'PostgreSQL' if ON_POSTGRES else 'SQLite'}"


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The `app` fixture keeps an app context open for the factories, and Flask reuses an open
    context for requests: `g` (where Flask-Login caches the user) and the SQLAlchemy session
    would then be shared by every client of a test, and with the test itself.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.rollback()  # the test's own session now reads what the request committed
        return response


@pytest.fixture(scope="session")
def shared_postgres() -> str | None:
    """On PostgreSQL: one database for the run, its schema created once."""
    if not ON_POSTGRES:
        return None
    from sqlalchemy import create_engine

    import app.models
    import app.services.search  # noqa: F401  (its DDL creates the search index)

    url = fresh_database(None)
    engine = create_engine(url)
    _db.metadata.create_all(engine)
    engine.dispose()
    return url


def empty_all_tables() -> None:
    """Delete every row (a test's leftovers), children first; cheaper than TRUNCATE here."""
    from sqlalchemy import text

    for table in reversed(_db.metadata.sorted_tables):
        _db.session.execute(table.delete())
    _db.session.execute(text("DELETE FROM search_index"))
    _db.session.execute(text("DELETE FROM search_index_words"))


@pytest.fixture()
def app(tmp_path, shared_postgres) -> Flask:
    """A fresh app and an empty database per test: a real SQLite file (WAL and foreign keys
    on), or the run's PostgreSQL database emptied."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = shared_postgres or f"sqlite:///{tmp_path / 'test.db'}"
        INSTANCE_DIR = tmp_path

    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        if shared_postgres:
            empty_all_tables()
        else:
            _db.create_all()
        prepare_database(_db.session)
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    return _db


@pytest.fixture()
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Log a test client in and send JSON with the session's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf = ""
        self.user: dict | None = None

    def login(self, email: str, password: str = "correct-horse-battery"):
        response = self.client.post("/api/auth/login", json={"email": email, "password": password})
        if response.status_code == 200:
            self.csrf = response.json["csrf_token"]
            self.user = response.json["user"]
        return response

    def _send(self, method: str, url: str, **kwargs):
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs):
        return self._send("POST", url, **kwargs)

    def patch(self, url: str, **kwargs):
        return self._send("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs):
        return self._send("DELETE", url, **kwargs)

    def put(self, url: str, **kwargs):
        return self._send("PUT", url, **kwargs)


@pytest.fixture()
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture()
def make_auth(app):
    """A logged-in helper per user, each with its own cookie jar."""

    def make(user) -> Auth:
        helper = Auth(app.test_client())
        assert helper.login(user.email).status_code == 200
        return helper

    return make


@pytest.fixture()
def people(app):
    """Three salespeople (a, b, c), a manager and an admin, all able to log in."""
    from types import SimpleNamespace

    from tests.factories import UserFactory

    return SimpleNamespace(
        a=UserFactory(name="Alice Sales", email="alice@example.fr"),
        b=UserFactory(name="Bruno Sales", email="bruno@example.fr"),
        c=UserFactory(name="Chloé Sales", email="chloe@example.fr"),
        manager=UserFactory(name="Marc Manager", email="marc@example.fr", role="manager"),
        admin=UserFactory(name="Agnès Admin", email="agnes@example.fr", role="admin"),
    )


@pytest.fixture()
def alice(people, make_auth) -> Auth:
    """Salesperson a, logged in."""
    return make_auth(people.a)


@pytest.fixture()
def bruno(people, make_auth) -> Auth:
    """Salesperson b, logged in."""
    return make_auth(people.b)


@pytest.fixture()
def chloe(people, make_auth) -> Auth:
    """Salesperson c, logged in."""
    return make_auth(people.c)


@pytest.fixture()
def db_state(app):
    """A snapshot function: row count of every table, plus the change counter's value."""
    from sqlalchemy import func, select, text

    def snapshot() -> dict:
        _db.session.rollback()  # read what is committed, not this session's leftovers
        state = {name: _db.session.scalar(select(func.count()).select_from(table))
                 for name, table in _db.metadata.tables.items()}
        for index in ("search_index", "search_index_words"):
            state[index] = _db.session.scalar(text(f"SELECT count(*) FROM {index}"))
        state["change_counter.value"] = _db.session.scalar(
            text("SELECT value FROM change_counter WHERE id = 1"))
        return state

    return snapshot


def run_jobs(app: Flask) -> int:
    """Run, in this thread, every job of the app's real queue that is due; return how many."""
    huey = app.extensions["jobs"].huey
    ran = 0
    while True:
        for task in huey.read_schedule(huey._get_timestamp()):
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1


def retry_scheduled(app) -> int:
    """Run the retries waiting in the queue now, as the clock would later; how many ran."""
    huey, later = app.extensions["jobs"].huey, datetime(9999, 1, 1)
    tasks = huey.read_schedule(later)  # taken off the schedule...
    while (task := huey.dequeue()) is not None:  # (a retry not yet moved to the schedule)
        tasks.append(task)
    for task in tasks:
        huey.execute(task, timestamp=later)  # ...and run as if their time had come
    return len(tasks)


@pytest.fixture()
def worker(app):
    """The app's job consumer running in threads, as `tournee run` starts it."""
    from app.job_queue import start_consumer

    consumer = start_consumer(app, workers=2)
    yield consumer
    consumer.stop(graceful=True)


@pytest.fixture()
def push_peer(app):
    """A fake Web Push service on 127.0.0.1 that only accepts this app's VAPID key."""
    from tests.push_peer import PushPeer

    with PushPeer() as peer:
        peer.expected_public_key = app.extensions["vapid"].public_key
        yield peer


@pytest.fixture()
def mail_peer(app):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that the app mails through, with a login."""
    from tests.mail_peer import MailPeer

    with MailPeer(username="tournee", password="s3cret:/@") as peer:
        app.config["SMTP_URL"] = peer.url  # the password travels percent-encoded
        yield peer
    app.config["SMTP_URL"] = None
