"""Security headers on every response: the app shell, the worker, the manifest, API answers
and errors, the calendar feed (OWASP ASVS 14.4 / 50.x)."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import TestConfig
from app.headers import CSP

PATHS = ["/", "/service-worker.js", "/manifest.webmanifest", "/js/main.js",
         "/api/auth/me",  # 401
         "/api/nowhere",  # 404 in the API's error shape
         "/nowhere",  # 404 outside the API
         "/calendar/not-a-token.ics"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(client, path):
    with client.get(path) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["default-src"] == "'self'"  # scripts, styles, fetches, workers: own only
    assert not {"script-src", "style-src", "connect-src", "worker-src"} & set(directives)
    assert directives["object-src"] == directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would mean nothing


def test_a_server_error_carries_them_too(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["Content-Security-Policy"] == CSP


def test_hsts_behind_tls(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'h.db'}"
        INSTANCE_DIR = tmp_path
        SESSION_COOKIE_SECURE = True

    response = create_app(Config).test_client().get("/manifest.webmanifest")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
