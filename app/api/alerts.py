"""/api/alerts: my alerts, and what I do with them (acknowledge, snooze, dismiss)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Blueprint
from flask_login import current_user
from marshmallow import Schema

from app.api.common import endpoint, request_lang
from app.extensions import db
from app.models import Alert
from app.schemas.alert import (
    alert_args_schema,
    alert_create_schema,
    alert_schema,
    alert_update_schema,
    counts_schema,
    snooze_schema,
)
from app.schemas.dump import dump
from app.services.alerts import lifecycle
from app.services.alerts.texts import localised
from app.services.pagination import Page

bp = Blueprint("alerts", __name__, url_prefix="/alerts")


def dump_alert(alert: Alert) -> dict:
    """An alert as the API shows it, in the request's language (sync, conflict bodies)."""
    return dump(alert_schema, localised(alert, request_lang()))


@dataclass(frozen=True)
class SyncResource:
    """What /api/sync/push needs to check an outbox mutation of alerts."""

    entity: str
    schema: Schema
    patch_schema: Schema


sync_resource = SyncResource("alert", alert_create_schema, alert_update_schema)


@bp.get("")
@endpoint(out=alert_schema, args=alert_args_schema, page=True)
def list_alerts(args: dict) -> Page:
    """My alerts, newest first (not resolved, unless ?state= says otherwise)."""
    return lifecycle.list_alerts(db.session, current_user, args, request_lang())


@bp.get("/counts")
@endpoint(out=counts_schema)
def counts() -> dict:
    """How many of my alerts are open (the badge), and live by rule."""
    return lifecycle.counts(db.session, current_user)


@bp.get("/<uuid:alert_id>")
@endpoint(out=alert_schema)
def get_alert(alert_id: uuid.UUID) -> Alert:
    """One of my alerts."""
    return lifecycle.get_alert(db.session, current_user, alert_id, request_lang())


@bp.post("/<uuid:alert_id>/acknowledge")
@endpoint(out=alert_schema)
def acknowledge(alert_id: uuid.UUID) -> Alert:
    """Say I have seen the alert (it stays until its situation clears)."""
    return lifecycle.act(db.session, current_user, alert_id, "acknowledge", {}, request_lang())


@bp.post("/<uuid:alert_id>/snooze")
@endpoint(body=snooze_schema, out=alert_schema)
def snooze(alert_id: uuid.UUID, data: dict) -> Alert:
    """Hide the alert until a time ({until}), for {days}, or 7 days ({}); it then reopens."""
    return lifecycle.act(db.session, current_user, alert_id, "snooze", data, request_lang())


@bp.post("/<uuid:alert_id>/dismiss")
@endpoint(out=alert_schema)
def dismiss(alert_id: uuid.UUID) -> Alert:
    """Put the alert away (it is resolved when its situation clears)."""
    return lifecycle.act(db.session, current_user, alert_id, "dismiss", {}, request_lang())
