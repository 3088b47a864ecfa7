"""Fixtures: app on a temporary SQLite file, client, db, auth helper."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import TestConfig
from app.extensions import db as _db
from app.services.setup import prepare_database


@pytest.fixture()
def app(tmp_path) -> Flask:
    """A fresh app and database per test (a real SQLite file, WAL and foreign keys on)."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'test.db'}"
        INSTANCE_DIR = tmp_path

    app = create_app(Config)
    with app.app_context():
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
