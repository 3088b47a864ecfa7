"""/api/follows: the records I follow, and my follow of one record."""

from __future__ import annotations

import uuid

from flask import Blueprint
from flask_login import current_user

from app.api.common import endpoint
from app.extensions import db
from app.schemas.follow import follow_args_schema, follow_schema
from app.services import follows
from app.services.follows import FollowState
from app.services.pagination import Page

bp = Blueprint("follows", __name__, url_prefix="/follows")
ONE = "/<any(company, contact, deal):record_type>/<uuid:record_id>"


@bp.get("")
@endpoint(out=follow_schema, args=follow_args_schema, page=True)
def list_follows(args: dict) -> Page:
    """The records I follow, most recently followed first."""
    return follows.list_mine(db.session, current_user, args)


@bp.get(ONE)
@endpoint(out=follow_schema)
def get_follow(record_type: str, record_id: uuid.UUID) -> FollowState:
    """My follow of a record (following false when I never followed it)."""
    return follows.get_follow(db.session, current_user, record_type, record_id)


@bp.put(ONE)
@endpoint(out=follow_schema, body=follow_schema)
def put_follow(data: dict, record_type: str, record_id: uuid.UUID) -> FollowState:
    """Follow a record (every kind of fact, or some) or stop following it."""
    return follows.set_follow(db.session, current_user, record_type, record_id, data)
