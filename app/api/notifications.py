"""/api/notifications: this user's inbox of automatic facts."""

from __future__ import annotations

import uuid

from flask import Blueprint
from flask_login import current_user

from app.api.common import endpoint, request_lang
from app.extensions import db
from app.models import Notification
from app.schemas.notification import count_schema, inbox_args_schema, notification_schema
from app.services import notifications
from app.services.pagination import Page

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@endpoint(out=notification_schema, args=inbox_args_schema, page=True)
def inbox(args: dict) -> Page:
    """My notifications, newest first."""
    return notifications.inbox(db.session, current_user, args, request_lang())


@bp.get("/unread-count")
@endpoint(out=count_schema)
def unread_count() -> dict:
    """How many of my notifications are unread (the badge)."""
    return {"count": notifications.unread_count(db.session, current_user)}


@bp.post("/<uuid:notification_id>/read")
@endpoint(out=notification_schema)
def mark_read(notification_id: uuid.UUID) -> Notification:
    """Mark one notification read."""
    return notifications.mark_read(db.session, current_user, notification_id, request_lang())


@bp.post("/read-all")
@endpoint(out=count_schema)
def mark_all_read() -> dict:
    """Mark all my notifications read."""
    return {"count": notifications.mark_all_read(db.session, current_user)}
