"""The JSON API: a parent blueprint with one child blueprint per resource."""

from __future__ import annotations

from flask import Blueprint

from app.api import (
    agenda,
    alert_rules,
    alerts,
    attachments,
    auth,
    companies,
    contacts,
    deals,
    exchanges,
    follows,
    live,
    notifications,
    openapi,
    picklists,
    push,
    search,
    sync,
    tasks,
    users,
)
from app.api.security import check_csrf

bp = Blueprint("api", __name__)
bp.before_request(check_csrf)


@bp.after_request
def _no_store(response):
    """API answers hold client data: never kept in browser or proxy caches (ASVS 14.3.2)."""
    response.headers["Cache-Control"] = "no-store"
    return response

for module in (auth, companies, contacts, deals, exchanges, picklists, search, users,
               attachments, sync, push, live, notifications, tasks, agenda, follows,
               alerts, alert_rules, openapi):
    bp.register_blueprint(module.bp)
