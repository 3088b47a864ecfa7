"""/api/users: the directory of colleagues (owner and participant pickers)."""

from __future__ import annotations

from flask import Blueprint

from app.api.common import endpoint
from app.extensions import db
from app.schemas.user import user_schema
from app.services import users
from app.services.pagination import Page

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("")
@endpoint(out=user_schema, page=True)
def list_users() -> Page:
    """List active colleagues by name."""
    return Page(users.directory(db.session), None)
