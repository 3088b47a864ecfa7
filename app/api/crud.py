"""The five routes every record resource has, built once for all of them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint
from flask_login import current_user
from marshmallow import Schema

from app.api.common import endpoint, request_lang
from app.extensions import db
from app.schemas.common import page_args_schema
from app.schemas.event import record_event_schema
from app.schemas.exchange import exchange_schema
from app.services import events, timeline
from app.services.pagination import Page


@dataclass(frozen=True)
class Resource:
    """A record type: its URL name, schemas and service functions."""

    entity: str  # "company"
    plural: str  # "companies"
    schema: Schema
    patch_schema: Schema
    args_schema: Schema
    list: Callable
    get: Callable
    create: Callable
    update: Callable
    delete: Callable
    has_timeline: bool = True


def _doc(text: str) -> Callable:
    def set_doc(view: Callable) -> Callable:
        view.__doc__ = text
        return view

    return set_doc


def crud_blueprint(res: Resource) -> Blueprint:
    """List, create, read, update, delete (and timeline) for one resource."""
    bp = Blueprint(res.plural, __name__, url_prefix=f"/{res.plural.replace('_', '-')}")
    one = f"/<uuid:{res.entity}_id>"

    @bp.get("")
    @endpoint(args=res.args_schema, out=res.schema, page=True)
    @_doc(f"List {res.plural}.")
    def list_records(args: dict) -> Page:
        return res.list(db.session, current_user, args)

    @bp.post("")
    @endpoint(body=res.schema, out=res.schema, status=201)
    @_doc(f"Create a {res.entity}; replaying the same id and payload returns it (200).")
    def create_record(data: dict):
        record, created = res.create(db.session, current_user, data)
        return record, 201 if created else 200

    @bp.get(one)
    @endpoint(out=res.schema)
    @_doc(f"Fetch one {res.entity}.")
    def get_record(**ids: uuid.UUID):
        return res.get(db.session, current_user, *ids.values())

    @bp.patch(one)
    @endpoint(body=res.patch_schema, out=res.schema, versioned=True)
    @_doc(f"Edit a {res.entity} against the version you saw (409 with the current one).")
    def update_record(data: dict, version: int, **ids: uuid.UUID):
        return res.update(db.session, current_user, *ids.values(), data, version)

    @bp.delete(one)
    @endpoint(status=204)
    @_doc(f"Delete a {res.entity} (a tombstone is kept for sync).")
    def delete_record(**ids: uuid.UUID) -> None:
        res.delete(db.session, current_user, *ids.values())

    if res.has_timeline:

        @bp.get(f"{one}/timeline")
        @endpoint(args=page_args_schema, out=exchange_schema, page=True)
        @_doc(f"Exchanges about the {res.entity}, newest first.")
        def record_timeline(args: dict, **ids: uuid.UUID) -> Page:
            return timeline.timeline(db.session, current_user, res.entity, *ids.values(),
                                     limit=args["limit"], cursor=args["cursor"])

        @bp.get(f"{one}/events")
        @endpoint(args=page_args_schema, out=record_event_schema, page=True)
        @_doc(f"Timeline events of the {res.entity} (created, stage moved...), newest first.")
        def record_events(args: dict, **ids: uuid.UUID) -> Page:
            return events.record_events(db.session, current_user, res.entity, *ids.values(),
                                        limit=args["limit"], cursor=args["cursor"],
                                        lang=request_lang())

    return bp
