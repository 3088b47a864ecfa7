"""/api/sync: pull changes since a cursor, push an outbox exactly once (docs/sync.md)."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import current_user
from marshmallow import ValidationError

from app.api import alerts, companies, contacts, deals, exchanges, tasks
from app.api.common import endpoint
from app.api.errors import flatten
from app.api.messages import localise, localise_fields
from app.api.serialise import dump_any
from app.extensions import db
from app.schemas.sync import (
    changes_args_schema,
    changes_schema,
    mutation_schema,
    push_result_schema,
    push_schema,
)
from app.services import sync
from app.services.errors import Invalid

bp = Blueprint("sync", __name__, url_prefix="/sync")

# A mutation's data is checked by the same schemas as the resource's POST and PATCH.
RESOURCES = {r.entity: r for r in (companies.resource, contacts.resource, deals.resource,
                                   exchanges.resource, tasks.resource, alerts.sync_resource)}


@bp.get("/changes")
@endpoint(args=changes_args_schema, out=changes_schema)
def changes(args: dict) -> dict:
    """Changes since the cursor, in commit order, as the user may see them now."""
    found, cursor, has_more = sync.changes_since(db.session, current_user, args["since"],
                                                 args["limit"], current_app.config["SYNC_DAYS"])
    return {"changes": [{"entity": c.entity, "id": c.id, "op": c.op,
                         "data": dump_any(c.record) if c.record is not None else None}
                        for c in found],
            "cursor": cursor, "has_more": has_more}


def _mutation(raw: dict, index: int) -> sync.Mutation:
    """Check one mutation; a bad envelope fails the batch, bad data rejects just this one."""
    try:
        m = sync.Mutation(**mutation_schema.load(raw))
    except ValidationError as error:
        raise ValidationError({"mutations": {index: error.messages}}) from error
    create_schema, patch_schema = RESOURCES[m.entity].schema, RESOURCES[m.entity].patch_schema
    try:
        if m.op == "create":
            m.data = create_schema.load({**(m.data or {}), "id": str(m.id)})
            m.data.pop("id")
        elif m.op == "update":
            if m.base_version is None:
                raise ValidationError({"base_version": ["Required for an update."]})
            m.data = patch_schema.load(m.data or {})
    except ValidationError as error:
        m.error = Invalid("Some fields are not valid.", fields=flatten(error.messages))
    return m


def _result(r: sync.Result) -> dict:
    out: dict = {"seq": r.seq, "status": r.status}
    if r.status == "applied":
        out["data"] = dump_any(r.record) if r.record is not None else None
    elif r.status == "conflict":
        out["current"] = dump_any(r.record) if r.record is not None else None
    if r.error is not None and r.status == "rejected":
        out["error"] = {"code": r.error.code, "message": localise(r.error.message),
                        **({"fields": localise_fields(r.error.fields)} if r.error.fields else {})}
    return out


@bp.post("/push")
@endpoint(body=push_schema, out=push_result_schema)
def push(data: dict) -> dict:
    """Apply a device's outbox in seq order; replays are answered `duplicate`."""
    mutations = [_mutation(raw, i) for i, raw in enumerate(data["mutations"])]
    results, last_seq = sync.push(db.session, current_user, data["client_id"], mutations)
    return {"results": [_result(r) for r in results], "last_seq": last_seq}
