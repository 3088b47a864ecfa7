"""The JSON API: a parent blueprint with one child blueprint per resource."""

from __future__ import annotations

from flask import Blueprint

from app.api import (
    attachments,
    auth,
    companies,
    contacts,
    deals,
    exchanges,
    openapi,
    picklists,
    search,
    sync,
    users,
)
from app.api.security import check_csrf

bp = Blueprint("api", __name__)
bp.before_request(check_csrf)
for module in (auth, companies, contacts, deals, exchanges, picklists, search, users,
               attachments, sync, openapi):
    bp.register_blueprint(module.bp)
