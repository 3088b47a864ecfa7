"""/api/search: prefix, case- and accent-insensitive search across the book."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.api.common import endpoint
from app.extensions import db
from app.schemas.user import search_args_schema, search_item_schema
from app.services import search as svc
from app.services.pagination import Page

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("")
@endpoint(args=search_args_schema, out=search_item_schema, page=True)
def search(args: dict) -> Page:
    """Find companies, contacts and deals whose words start with the query's words."""
    items = svc.search(db.session, args["q"], args["types"], args["limit"],
                       args["locale"] or current_user.locale)
    return Page(items, None)
