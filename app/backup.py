"""`tournee backup` and `tournee restore`: the database, while the app runs.

SQLite: SQLite's online backup API copies a consistent snapshot in one step (in WAL mode
writers go on meanwhile) into a temporary file, checked with `integrity_check`, then renamed:
a backup file is whole or absent. PostgreSQL: pg_dump's custom format (one snapshot), restored
by pg_restore in a single transaction. The password never appears on a command line.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """A backup or restore that cannot be done as asked."""


def backup(database_url: str, output: Path) -> Path:
    """Back the database up to `output` (a file, or a folder for a timestamped name)."""
    url = make_url(database_url)
    suffix = ".db" if _is_sqlite(url) else ".dump"
    target = output / f"tournee-{datetime.now(UTC):%Y%m%dT%H%M%SZ}{suffix}" if (
        output.is_dir()) else output
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites a file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)  # left by a backup killed midway
    # Private from its first byte on: password hashes, clients' data.
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        if _is_sqlite(url):
            _sqlite_copy(_sqlite_path(url), partial)
            _check_sqlite(partial)
        else:
            _run(["pg_dump", "--format=custom", f"--file={partial}"], url)
            _run(["pg_restore", "--list", str(partial)])  # a whole archive, readable
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(database_url: str, source: Path, force: bool = False) -> None:
    """Replace the database's content with a backup; refuse a database with tables unless
    `force`. Stop the app first: its processes would keep writing to what is replaced."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file.")
    url = make_url(database_url)
    if _is_sqlite(url):
        _check_sqlite(source)  # a damaged backup is refused before anything is touched
    tables = has_tables(url)
    if tables and not force:
        raise BackupError(f"The database already has {tables} tables; restoring would replace "
                          "them. Use --force to do so.")
    if _is_sqlite(url):
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)  # through SQLite, so an existing -wal file stays coherent
        _check_sqlite(target)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", str(source)], url)
    end_sessions(url)
    new_epoch(url)


def new_epoch(url: URL) -> None:
    """Start a new life of the database: the change counter's values are those of the backup,
    which devices may have passed already; their cursors name the old epoch and get 410."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = inspect(conn)
            if "change_counter" in tables.get_table_names() and "epoch" in {
                    c["name"] for c in tables.get_columns("change_counter")}:
                # else the migration the next start runs draws one
                conn.execute(text("UPDATE change_counter SET epoch = :epoch"),
                             {"epoch": secrets.token_hex(4)})
    finally:
        engine.dispose()


def end_sessions(url: URL) -> int:
    """End every session the backup held: a cookie logged out (a stolen phone's, say) after
    the backup was taken must not work again: everyone logs in again (docs/deploy.md).
    Returns how many ended."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if "user_sessions" not in inspect(conn).get_table_names():
                return 0  # a backup older than server-side sessions
            return conn.execute(text("UPDATE user_sessions SET revoked_at = :now "
                                     "WHERE revoked_at IS NULL"),
                                {"now": datetime.now(UTC).replace(tzinfo=None)}).rowcount
    finally:
        engine.dispose()


def has_tables(url: URL) -> int:
    """How many tables the database has (0 for a missing SQLite file)."""
    if _is_sqlite(url) and not _sqlite_path(url).exists():
        return 0
    engine = create_engine(url)
    try:
        return len(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database).resolve()


def _sqlite_copy(source: Path, target: Path) -> None:
    # pages=-1: one step, one read snapshot (a stepwise copy restarts whenever another
    # connection writes, and might never finish on a busy database).
    if not source.is_file():
        raise BackupError(f"{source}: no such database file.")
    with closing(sqlite3.connect(source, timeout=30)) as src, \
            closing(sqlite3.connect(target, timeout=30)) as dst:
        src.backup(dst, pages=-1)


def _check_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path}: not a usable SQLite database ({error}).") from error
    if result != [("ok",)]:
        raise BackupError(f"{path}: integrity check failed: {result[:5]}")


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries it."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], url: URL | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install "
                          "postgresql-client).")
    env = None
    if url is not None:
        conninfo, env = _libpq(url)
        command = [*command, f"--dbname={conninfo}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
