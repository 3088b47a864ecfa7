"""Sync and attachment schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from app.models import ATTACHMENT_OWNERS
from app.schemas.common import ArgsSchema, RecordSchema, StrictSchema, UTCDateTime

MUTABLE = ("company", "contact", "deal", "exchange", "task", "alert")


class ChangesArgsSchema(ArgsSchema):
    since = fields.String(load_default="0", validate=validate.Regexp(
        r"^([0-9a-f]{8}\.)?\d{1,18}(:initial)?$",
        error="Use the cursor of the previous answer."))
    limit = fields.Integer(load_default=500, validate=validate.Range(1, 2000))


class MutationSchema(StrictSchema):
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(1, 2**63 - 1))
    entity = fields.String(required=True, validate=validate.OneOf(MUTABLE))
    op = fields.String(required=True, validate=validate.OneOf(("create", "update", "delete")))
    id = fields.UUID(required=True)
    data = fields.Dict(load_default=None, allow_none=True)
    base_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class PushSchema(StrictSchema):
    client_id = fields.UUID(required=True)
    # Each mutation is checked on its own (a bad one is rejected, the others go on).
    mutations = fields.List(fields.Dict(), required=True, validate=validate.Length(max=200))


class ChangeSchema(StrictSchema):
    entity = fields.String()
    id = fields.UUID()
    op = fields.String(validate=validate.OneOf(("upsert", "delete")))
    data = fields.Dict(allow_none=True)


class ChangesSchema(StrictSchema):
    changes = fields.List(fields.Nested(ChangeSchema))
    cursor = fields.String()
    has_more = fields.Boolean()


class ResultSchema(StrictSchema):
    seq = fields.Integer()
    status = fields.String(validate=validate.OneOf(("applied", "duplicate", "conflict",
                                                    "rejected")))
    data = fields.Dict(allow_none=True)
    current = fields.Dict(allow_none=True)
    error = fields.Dict()


class PushResultSchema(StrictSchema):
    results = fields.List(fields.Nested(ResultSchema))
    last_seq = fields.Integer()


class AttachmentSchema(RecordSchema):
    entity = fields.String(required=True, validate=validate.OneOf(ATTACHMENT_OWNERS))
    entity_id = fields.UUID(required=True)
    filename = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    sha256 = fields.String(dump_only=True)
    created_by = fields.UUID(attribute="created_by_id", dump_only=True)
    deleted_at = UTCDateTime(dump_only=True, allow_none=True)


class AttachmentArgsSchema(ArgsSchema):
    entity = fields.String(required=True, validate=validate.OneOf(ATTACHMENT_OWNERS))
    entity_id = fields.UUID(required=True)


changes_args_schema = ChangesArgsSchema()
mutation_schema = MutationSchema()
push_schema = PushSchema()
changes_schema = ChangesSchema()
push_result_schema = PushResultSchema()
attachment_schema = AttachmentSchema()
attachment_form_schema = AttachmentSchema(only=("id", "entity", "entity_id"))
attachment_args_schema = AttachmentArgsSchema()
