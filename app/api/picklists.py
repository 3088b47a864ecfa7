"""/api/exchange-kinds and /api/outcomes: admin-configurable picklists."""

from __future__ import annotations

import uuid

from flask import Blueprint
from flask_login import current_user

from app.api.common import endpoint
from app.extensions import db
from app.models import ExchangeKind, Outcome
from app.schemas.exchange import picklist_patch_schema, picklist_schema
from app.services import picklists
from app.services.pagination import Page

bp = Blueprint("picklists", __name__)
MODELS = {"exchange-kinds": ExchangeKind, "outcomes": Outcome}
LIST_ROUTE = "/<any(\"exchange-kinds\", outcomes):name>"


@bp.get(LIST_ROUTE)
@endpoint(out=picklist_schema, page=True)
def list_entries(name: str):
    """List the entries of a picklist, inactive ones included, by position."""
    return Page(picklists.list_entries(db.session, MODELS[name]), None)


@bp.post(LIST_ROUTE)
@endpoint(body=picklist_schema, out=picklist_schema, status=201)
def create_entry(name: str, data: dict):
    """Add an entry (administrators)."""
    entry, created = picklists.create_entry(db.session, current_user, MODELS[name], data)
    return entry, 201 if created else 200


@bp.patch(f"{LIST_ROUTE}/<uuid:entry_id>")
@endpoint(body=picklist_patch_schema, out=picklist_schema, versioned=True)
def update_entry(name: str, entry_id: uuid.UUID, data: dict, version: int):
    """Rename, recolour, reorder or deactivate an entry (administrators)."""
    return picklists.update_entry(db.session, current_user, MODELS[name], entry_id, data,
                                  version)
