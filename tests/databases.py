"""Which database the suite runs on: SQLite files, or PostgreSQL when TOURNEE_TEST_BACKEND is
`postgresql` (`make test` runs the suite a second time so when TOURNEE_TEST_POSTGRES_URL is set).

On PostgreSQL every fresh database is a real one on that server, created for the run and
dropped at its end; the `app` fixture shares one per run, emptied before each test.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

BACKEND = os.environ.get("TOURNEE_TEST_BACKEND", "sqlite")
ON_POSTGRES = BACKEND == "postgresql"
_created: list[str] = []
_counter = itertools.count(1)


def server_url() -> str:
    """The PostgreSQL server the tests may create databases on."""
    url = os.environ.get("TOURNEE_TEST_POSTGRES_URL")
    if not url:
        raise RuntimeError("TOURNEE_TEST_BACKEND=postgresql needs TOURNEE_TEST_POSTGRES_URL")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _admin(sql: str) -> None:
    engine = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def fresh_database(folder: Path, name: str = "test") -> str:
    """The URL of a new, empty database: a SQLite file in `folder`, or a PostgreSQL database."""
    if not ON_POSTGRES:
        return f"sqlite:///{folder / f'{name}.db'}"
    database = f"tournee_test_{os.getpid()}_{next(_counter)}"
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{database}"')
    _created.append(database)
    return make_url(server_url()).set(database=database).render_as_string(hide_password=False)


def drop_created() -> None:
    """Drop every database this run created (at the end of the session)."""
    while _created:
        _admin(f'DROP DATABASE IF EXISTS "{_created.pop()}" WITH (FORCE)')


def query(url: str, sql: str) -> list[tuple]:
    """Read rows with a short-lived engine (what a test checks on a server process's database)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()
