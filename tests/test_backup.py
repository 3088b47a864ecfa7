"""`tournee backup` while the app writes, and `tournee restore` into a fresh instance.

A writer thread commits companies one by one (w-00000, w-00001, ...) while the backup runs:
the backup must hold every seeded row and an unbroken prefix of the writer's rows (one
snapshot: nothing half-written, no gap), pass SQLite's integrity check, and restore into an
empty instance that then migrates and serves as usual. Restore refuses a database with tables
unless --force, and refuses a damaged file before touching anything. Then the same on the
machine's PostgreSQL (pg_dump / pg_restore), on throwaway databases.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import Company
from tests.chaos import ROOT, TOURNEE
from tests.databases import query

SEED = 2000
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def make_app(folder: Path, url: str):
    class Here(TestConfig):
        INSTANCE_DIR = folder
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Here)


def tournee(*args: str, url: str, folder: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "TOURNEE_INSTANCE_DIR": str(folder), "TOURNEE_DATABASE_URL": url,
           "TOURNEE_DEMO_ON_EMPTY": "0"}
    env.pop("TOURNEE_REDIS_URL", None)
    done = subprocess.run([TOURNEE, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def seed(app) -> None:
    """Companies, and a user logged in on one device (a live session record)."""
    from datetime import timedelta

    from app.services import sessions
    from tests.factories import UserFactory

    with app.app_context():
        db.session.add_all(Company(name=f"seed-{i:05d}", status="client", notes="n" * 2000)
                           for i in range(SEED))
        sessions.open_session(db.session, UserFactory(), sessions.Lifetime(
            idle=timedelta(days=30), absolute=timedelta(days=90)))
        db.session.commit()
        db.session.remove()


def epoch(url: str) -> str:
    """The life of the database sync cursors name (a restore starts a new one)."""
    return query(url, "SELECT epoch FROM change_counter")[0][0]


def live_sessions(url: str) -> int:
    """Session records still live in a database (a restore ends them all)."""
    return query(url, "SELECT count(*) FROM user_sessions WHERE revoked_at IS NULL")[0][0]


class Writer(threading.Thread):
    """Commits one company at a time until stopped; `done` lists the committed names."""

    def __init__(self, app) -> None:
        super().__init__(daemon=True)
        self.app, self.done, self.stop, self.error = app, [], threading.Event(), None

    def run(self) -> None:
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    name = f"w-{len(self.done):05d}"
                    db.session.add(Company(name=name, status="prospect"))
                    db.session.commit()
                    self.done.append(name)
                db.session.remove()
        except Exception as error:  # reported by the test
            self.error = error


def backup_while_writing(app, runner_args: list[str]) -> tuple[str, list[str], int]:
    """Run `tournee backup` in this process while the writer commits; return its output, the
    writer's names, and how many commits landed during the backup."""
    writer = Writer(app)
    writer.start()
    while len(writer.done) < 20:
        time.sleep(0.01)
    before = len(writer.done)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", *runner_args])
    during = len(writer.done) - before
    time.sleep(0.1)
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    return result.output, writer.done, during


def written_path(output: str) -> Path:
    assert output.startswith("Backup written to "), output
    return Path(output.removeprefix("Backup written to ").strip())


def check_snapshot(names: set[str], writer_names: list[str]) -> None:
    assert {f"seed-{i:05d}" for i in range(SEED)} <= names
    from_writer = sorted(n for n in names if n.startswith("w-"))
    assert from_writer == writer_names[:len(from_writer)]  # a prefix: one consistent snapshot
    assert len(from_writer) >= 20  # what was committed before the backup began is there


def sqlite_names(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in conn.execute("SELECT name FROM companies")}


def test_a_sqlite_backup_taken_during_writes_restores_whole(tmp_path):
    source_dir, restored_dir = tmp_path / "live", tmp_path / "restored"
    source_url = f"sqlite:///{source_dir / 'tournee.db'}"
    restored_url = f"sqlite:///{restored_dir / 'tournee.db'}"
    tournee("init-db", url=source_url, folder=source_dir)
    app = make_app(source_dir, source_url)
    seed(app)

    output, writer_names, during = backup_while_writing(app, [])  # default: instance/backups
    backup = written_path(output)
    app_engine_dispose(app)

    assert backup.parent == source_dir / "backups" and backup.suffix == ".db"
    assert during > 0  # the writer kept committing while the backup ran
    assert backup.stat().st_mode & 0o777 == 0o600
    check_snapshot(sqlite_names(backup), writer_names)

    assert live_sessions(f"sqlite:///{backup}") == 1
    restored = tournee("restore", str(backup), url=restored_url, folder=restored_dir)
    assert "Restored" in restored.stdout
    assert sqlite_names(restored_dir / "tournee.db") == sqlite_names(backup)
    assert live_sessions(restored_url) == 0  # a cookie ended after the backup stays ended
    assert epoch(restored_url) != epoch(f"sqlite:///{backup}")  # devices' cursors refused
    tournee("init-db", url=restored_url, folder=restored_dir)  # what `serve` runs at start
    check_restored_app(restored_dir, restored_url, len(sqlite_names(backup)))

    again = tournee("restore", str(backup), url=restored_url, folder=restored_dir, check=False)
    assert again.returncode == 1 and "--force" in again.stderr
    tournee("restore", "--force", str(backup), url=restored_url, folder=restored_dir)
    assert sqlite_names(restored_dir / "tournee.db") == sqlite_names(backup)


def app_engine_dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


def check_restored_app(folder: Path, url: str, companies: int) -> None:
    """The restored database serves the app: the companies are read through the ORM."""
    app = make_app(folder, url)
    with app.app_context():
        assert len(db.session.scalars(select(Company.id)).all()) == companies
        db.session.remove()
        db.engine.dispose()


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    url = f"sqlite:///{tmp_path / 'tournee.db'}"
    damaged = tmp_path / "broken.db"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))

    done = tournee("restore", "--force", str(damaged), url=url, folder=tmp_path, check=False)

    assert done.returncode == 1 and "not a usable SQLite database" in done.stderr
    assert not (tmp_path / "tournee.db").exists()


def test_a_backup_never_overwrites_a_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'tournee.db'}"
    tournee("init-db", url=url, folder=tmp_path)
    taken = tmp_path / "taken.db"
    taken.write_text("keep me")

    done = tournee("backup", "--output", str(taken), url=url, folder=tmp_path, check=False)

    assert done.returncode == 1 and "never overwrites" in done.stderr
    assert taken.read_text() == "keep me"


# -- PostgreSQL ---------------------------------------------------------------------------------

def _admin(sql: str) -> None:
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture()
def pg_databases():
    """Two throwaway databases on the machine's server, dropped at the end."""
    names = [f"tournee_bk_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    try:
        for name in names:
            _admin(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        pytest.fail("PostgreSQL must run on 127.0.0.1:5432 (user postgres, trust)")
    yield [f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}" for name in names]
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_names(url: str) -> set[str]:
    plain = url.replace("+psycopg", "")
    with psycopg.connect(plain) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM companies")}


def test_a_postgresql_backup_taken_during_writes_restores_whole(tmp_path, pg_databases):
    source_url, restored_url = pg_databases
    source_dir, restored_dir = tmp_path / "live", tmp_path / "restored"
    migrated = tournee("init-db", url=source_url, folder=source_dir, check=False)
    if migrated.returncode != 0:
        pytest.xfail("the migrations do not run on PostgreSQL yet: "
                     + migrated.stderr.strip().splitlines()[-1])
    app = make_app(source_dir, source_url)
    seed(app)

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    output, writer_names, during = backup_while_writing(app, ["--output", str(dumps)])
    backup = written_path(output)
    app_engine_dispose(app)

    assert backup.parent == dumps and backup.suffix == ".dump"
    assert during > 0
    assert backup.stat().st_mode & 0o777 == 0o600

    assert live_sessions(source_url) >= 1
    tournee("restore", str(backup), url=restored_url, folder=restored_dir)
    names = pg_names(restored_url)
    assert live_sessions(restored_url) == 0  # everyone logs in again after a restore
    assert epoch(restored_url) != epoch(source_url)  # and their devices sync afresh
    check_snapshot(names, writer_names)
    tournee("init-db", url=restored_url, folder=restored_dir)  # what `serve` runs at start
    check_restored_app(restored_dir, restored_url, len(names))

    again = tournee("restore", str(backup), url=restored_url, folder=restored_dir, check=False)
    assert again.returncode == 1 and "--force" in again.stderr
    tournee("restore", "--force", str(backup), url=restored_url, folder=restored_dir)
    assert pg_names(restored_url) == names
