"""`flask db upgrade` from an empty database gives exactly the models' schema."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.databases import ON_POSTGRES, fresh_database


@pytest.fixture()
def empty_app(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = fresh_database(tmp_path, "migrated")
        INSTANCE_DIR = tmp_path

    app = create_app(Config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _ignore_fts(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name.startswith("search_index"))


# SQLite cannot reflect the lower(email) index; the next test checks it by behaviour.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@pytest.mark.filterwarnings("ignore:autogenerate skipping")
def test_upgrade_from_empty_matches_models(empty_app):
    upgrade()
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": _ignore_fts})
        assert compare_metadata(ctx, db.metadata) == []
        assert conn.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar() == 0
        if not ON_POSTGRES:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert "search_index" in inspect(db.engine).get_table_names()
    if ON_POSTGRES:  # searches never read a queue of pending GIN entries (app/services/search)
        with db.engine.connect() as conn:
            options = dict(conn.execute(text(
                "SELECT relname, reloptions FROM pg_class WHERE relname IN"
                " ('ix_search_index_document', 'ix_search_index_folded')")).all())
        assert options == {"ix_search_index_document": ["fastupdate=off"],
                           "ix_search_index_folded": ["fastupdate=off"]}


def test_email_unique_whatever_the_case_after_upgrade(empty_app):
    upgrade()
    insert = text("INSERT INTO users (id, email, name, password_hash, role, locale, timezone, "
                  "active, version, change_seq, created_at, updated_at) VALUES "
                  "(:id, :email, 'x', '!', 'sales', 'fr', 'Europe/Paris', :on, 1, 0, "
                  "'2026-01-01', '2026-01-01')")
    with db.engine.begin() as conn:
        conn.execute(insert, {"id": "a" * 32, "email": "jean@example.fr", "on": True})
    with pytest.raises(Exception, match=r"(?i)unique"), db.engine.begin() as conn:
        conn.execute(insert, {"id": "b" * 32, "email": "JEAN@example.fr", "on": True})


def test_downgrade_to_empty(empty_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
