"""The `tournee` command: run, worker, demo, create-user, db (Flask-Migrate), shell, routes."""

from __future__ import annotations

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
    for command in (run_command, worker_command, demo_command, create_user_command,
                    init_db_command, sweep_alerts_command):
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



