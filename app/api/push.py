"""/api/push: the VAPID key, this user's devices, push preferences, a test push."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app
from flask_login import current_user

from app.api.common import endpoint, request_lang
from app.extensions import db
from app.live.commit import on_commit
from app.schemas.push import (
    endpoint_schema,
    preferences_out_schema,
    preferences_schema,
    push_test_result_schema,
    subscription_schema,
    to_times,
    vapid_key_schema,
)
from app.services import push
from app.services.pagination import Page

bp = Blueprint("push", __name__, url_prefix="/push")


@bp.get("/vapid-public-key")
@endpoint(out=vapid_key_schema)
def vapid_public_key() -> dict:
    """The key browsers need to subscribe (applicationServerKey)."""
    return {"key": current_app.extensions["vapid"].public_key}


@bp.get("/subscriptions")
@endpoint(out=subscription_schema, page=True)
def list_subscriptions() -> Page:
    """This user's devices that receive pushes."""
    return Page(push.devices(db.session, current_user), None)


@bp.post("/subscriptions")
@endpoint(out=subscription_schema, body=subscription_schema, status=201)
def subscribe(data: dict) -> tuple:
    """Register this device's push subscription (again: same endpoint, same device)."""
    sub, created = push.subscribe(db.session, current_user, data, request_lang())
    return sub, 201 if created else 200


@bp.delete("/subscriptions")
@endpoint(body=endpoint_schema, status=204)
def unsubscribe_this_device(data: dict) -> None:
    """Stop pushing to this device (named by its endpoint, which only the device knows)."""
    push.unsubscribe_endpoint(db.session, current_user, data["endpoint"])


@bp.delete("/subscriptions/<uuid:subscription_id>")
@endpoint(status=204)
def unsubscribe(subscription_id: uuid.UUID) -> None:
    """Stop pushing to one of this user's devices."""
    push.unsubscribe(db.session, current_user, subscription_id)


@bp.get("/preferences")
@endpoint(out=preferences_out_schema)
def get_preferences() -> object:
    """What this user wants pushed, and when not."""
    return push.preferences(db.session, current_user)


@bp.put("/preferences")
@endpoint(out=preferences_out_schema, body=preferences_schema)
def put_preferences(data: dict) -> object:
    """Replace this user's push preferences."""
    return push.save_preferences(db.session, current_user, to_times(data))


@bp.post("/test")
@endpoint(out=push_test_result_schema, status=202)
def send_test() -> dict:
    """Push a test notification to each of this user's devices."""
    from app.jobs import push_to_user

    count = len(push.devices(db.session, current_user))
    on_commit(db.session, push_to_user.enqueue, str(current_user.id), push.test_message())
    return {"devices": count}
