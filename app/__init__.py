"""Tournée: an offline-first CRM for field salespeople."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import headers
from app.config import Config, instance_secret
from app.extensions import db, login_manager, migrate, sock
from app.extensions import jobs as job_registry  # `app.jobs` is the jobs module's name
from app.serve import trust_proxy

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config_class: type = Config) -> Flask:
    """Build the application: extensions, blueprints, error handlers, commands."""
    app = Flask(__name__, instance_path=str(config_class.INSTANCE_DIR), static_folder=None)
    app.config.from_object(config_class)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    # Answers keep their schema's field order (sorting every object's keys cost a tenth of a
    # timeline's encoding) and send accents as UTF-8, not \u escapes (French text: shorter).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    headers.init_app(app)
    trust_proxy(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from app import live, models  # noqa: F401  (registers the mappers)
    from app.models.events import install_postgres_write_lock, install_sqlite_pragmas
    from app.services.push import load_vapid

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = pool_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    login_manager.init_app(app)
    sock.init_app(app)
    job_registry.init_app(app)
    live.init_app(app)
    app.extensions["vapid"] = load_vapid(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
        install_postgres_write_lock(db.engine)


def pool_options(config: dict) -> dict:
    """The engine's options with a pool as large as the requests that run at once.

    SQLAlchemy keeps 5 connections by default and opens the others per checkout, closing them
    on return: with REQUEST_TURNS above 5, every request beyond the fifth paid a new
    connection (SQLite: the schema parsed again and a cold page cache; PostgreSQL: a backend
    started), 2 ms of CPU per request in bench/bench_http.py. The extra ones are for the
    live sockets' reads and the jobs run in process; overflow stays for bursts beyond."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    if url in ("sqlite://", "sqlite:///:memory:"):  # one connection per thread, no queue
        return options
    options.setdefault("pool_size", config["REQUEST_TURNS"] + 4)
    options.setdefault("max_overflow", 16)
    # The connection returned last is handed out first: a few connections do the work and
    # keep their caches warm (SQLite's page cache is per connection), the rest stay idle.
    options.setdefault("pool_use_lifo", True)
    return options


def register_blueprints(app: Flask) -> None:
    """Mount the JSON API under /api, calendar feeds under /calendar, the PWA at /."""
    from app.api import bp as api_bp
    from app.calendar import bp as calendar_bp
    from app.pwa import bp as pwa_bp

    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(calendar_bp)
    app.register_blueprint(pwa_bp)


def register_errorhandlers(app: Flask) -> None:
    """Answer every error under /api with the one error shape."""
    from app.api.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """Add the `tournee` commands (run, demo, create-user, ...)."""
    from app.cli import register

    register(app)
