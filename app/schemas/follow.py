"""Follow schemas: one user's follow of a record, and what may be changed of it."""

from __future__ import annotations

from marshmallow import fields, validate

from app.models import FOLLOWABLE
from app.schemas.common import ArgsSchema, JSONBoolean, StrictSchema, UTCDateTime
from app.services.push import KINDS


class FollowSchema(StrictSchema):
    record_type = fields.String(dump_only=True)
    record_id = fields.UUID(dump_only=True)
    following = JSONBoolean(required=True)
    # null: every kind; otherwise the kinds of facts this follower wants to hear of.
    kinds = fields.List(fields.String(validate=validate.OneOf(tuple(KINDS))), allow_none=True,
                        load_default=None, validate=validate.Length(max=len(KINDS)))
    reason = fields.String(dump_only=True, allow_none=True)
    title = fields.String(dump_only=True, allow_none=True)
    created_at = UTCDateTime(dump_only=True, allow_none=True)


class FollowArgsSchema(ArgsSchema):
    record_type = fields.String(load_default=None, validate=validate.OneOf(FOLLOWABLE))


follow_schema = FollowSchema()
follow_args_schema = FollowArgsSchema()
