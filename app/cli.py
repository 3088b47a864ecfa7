"""The `tournee` command: run, serve, worker, backup, restore, demo, create-user, db
(Flask-Migrate), shell, routes."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command
from flask_migrate import upgrade
from sqlalchemy import func, select

from app.extensions import db
from app.job_queue import run_worker, start_consumer
from app.models import ROLES, Company
from app.services.errors import DomainError


def register(app: Flask) -> None:
    """Attach the project's commands to the app's CLI."""
    for command in (run_command, serve_command, worker_command, backup_command,
                    restore_command, demo_command, create_user_command, init_db_command,
                    sweep_alerts_command):
        app.cli.add_command(command)


def prepare(with_demo: bool) -> None:
    """Migrate to the newest schema, add required rows, and the demo data on an empty base."""
    from app.services.setup import prepare_database

    upgrade()
    prepare_database(db.session)
    db.session.commit()
    if with_demo and not db.session.scalar(select(func.count()).select_from(Company)):
        from app.demo import load_demo

        click.echo("Empty database: loading the demo data (tournee demo)...")
        counts = load_demo(db.session, password_method=current_app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        click.echo(f"Demo data loaded: {counts}")
        _sweep_now()  # the alerts are there on the first screen, not 15 minutes later


@click.command("init-db")
def init_db_command() -> None:
    """Apply migrations and create the default picklists."""
    prepare(with_demo=False)


@click.command("run")
@click.option("--host", default=None, help="Default: TOURNEE_HOST or 127.0.0.1")
@click.option("--port", type=int, default=None, help="Default: PORT or 5000")
@click.option("--no-demo", is_flag=True, help="Do not load demo data into an empty database.")
def run_command(host: str | None, port: int | None, no_demo: bool) -> None:
    """Migrate, load demo data if empty, and serve the app (one process)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    prepare(with_demo=app.config["DEMO_ON_EMPTY"] and not no_demo)
    host = host or app.config["HOST"]
    port = port or app.config["PORT"]
    consumer = start_consumer(app)  # one process: the jobs run beside the server
    click.echo(f"Tournée on http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        consumer.stop()


@click.command("serve")
@click.option("--host", default=None, help="Default: TOURNEE_HOST or 127.0.0.1")
@click.option("--port", type=int, default=None, help="Default: PORT or 5000")
@click.option("--workers", type=int, default=None,
              help="Processes. Default: TOURNEE_WORKERS, else 2 with Redis and 1 without.")
@click.option("--threads", type=int, default=None,
              help="Threads per process (an open WebSocket holds one). Default: TOURNEE_THREADS")
def serve_command(host: str | None, port: int | None, workers: int | None,
                  threads: int | None) -> None:
    """Migrate once, then serve with gunicorn (production; jobs run in `tournee worker`)."""
    from app.serve import ServeError, gunicorn_options, serve, workers_for

    app = current_app._get_current_object()
    config = {**app.config, "WEB_WORKERS": workers or app.config["WEB_WORKERS"]}
    try:
        workers = workers_for(config)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from exc
    prepare(with_demo=False)  # here, before the fork: not once per process
    _release_connections(app)
    host, port = host or app.config["HOST"], port or app.config["PORT"]
    threads = threads or app.config["WEB_THREADS"]
    click.echo(f"Tournée on http://{host}:{port}/ : {workers} process(es) x {threads} threads; "
               "background jobs run in `tournee worker`.")
    serve(gunicorn_options(app.config, host, port, workers, threads))


def _release_connections(app: Flask) -> None:
    """Close what this process opened: the serving processes are forked from it."""
    db.session.remove()
    db.engine.dispose()
    close = getattr(app.extensions["jobs"].huey.storage, "close", None)
    if close is not None:
        close()


@click.command("backup")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="A file, or a folder for a timestamped name. Default: instance/backups/")
def backup_command(output: Path | None) -> None:
    """Back the database up while the app runs (SQLite online backup, or pg_dump)."""
    from app.backup import BackupError, backup

    if output is None:
        output = Path(current_app.instance_path) / "backups"
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        written = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {written}")


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already has tables.")
def restore_command(source: Path, force: bool) -> None:
    """Restore a backup into the configured database (stop the app first)."""
    from app.backup import BackupError, restore

    db.session.remove()
    db.engine.dispose()  # this process's own connections must not hold the old database
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        restore(url, source, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {source}. The next start (`tournee serve`, `tournee init-db`) "
               "migrates it if it is older than this version.")


@click.command("worker")
def worker_command() -> None:
    """Run the background jobs alone (production: beside gunicorn, on Redis)."""
    app = current_app._get_current_object()
    queue = "Redis" if app.config["REDIS_URL"] else app.extensions["jobs"].huey.storage.filename
    click.echo(f"Tournée worker on {queue} (Ctrl+C to stop)")
    run_worker(app)


@click.command("demo")
@click.option("--scale", type=int, default=1, show_default=True, help="Multiply the records.")
@click.option("--reset", is_flag=True, help="Drop every table first.")
def demo_command(scale: int, reset: bool) -> None:
    """Load deterministic French demo data (accounts' password: tournee-demo)."""
    from app.demo import load_demo

    if reset:
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    prepare(with_demo=False)
    if db.session.scalar(select(func.count()).select_from(Company)):
        raise click.ClickException("The database already has data; use --reset.")
    counts = load_demo(db.session, scale=scale,
                       password_method=current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    click.echo(f"Demo data loaded: {counts}")
    _sweep_now()


@click.command("sweep-alerts")
def sweep_alerts_command() -> None:
    """Evaluate the alert rules now (the worker does it every 15 minutes)."""
    _sweep_now()


def _sweep_now() -> None:
    from app.models.events import writing
    from app.services.alerts.engine import sweep

    with writing():
        db.session.rollback()
        report = sweep(db.session)
        db.session.commit()
    click.echo("Alerts: " + ", ".join(f"{n} {what}" for what, n in report.counts().items()))


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice(ROLES), default="sales", show_default=True)
@click.password_option()
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create an account."""
    from app.services.users import create_user

    try:
        user = create_user(db.session, email=email, name=name, password=password, role=role,
                           hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {exc.fields or ''}".strip()) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")


def main() -> None:
    """Entry point of the `tournee` console script."""
    from app import create_app

    cli = FlaskGroup(create_app=create_app, add_default_commands=False,
                     help="Tournée: offline-first CRM for field salespeople.")
    cli.add_command(shell_command)
    cli.add_command(routes_command)
    cli.main(prog_name="tournee")



