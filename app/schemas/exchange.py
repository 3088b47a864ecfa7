"""Exchange, exchange kind and outcome schemas."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from app.models import EXCHANGE_STATES
from app.schemas.common import (
    ArgsSchema,
    JSONBoolean,
    JSONFloat,
    JSONInteger,
    RecordSchema,
    StrictSchema,
    UTCDateTime,
    patch_schema,
    text,
    uuid_list,
)

KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="Lower-case letters, digits and _.")
COLOUR = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="A colour like #1a2b3c.")


class LocationSchema(StrictSchema):
    lat = JSONFloat(required=True, validate=validate.Range(-90, 90))
    lng = JSONFloat(required=True, validate=validate.Range(-180, 180))
    # Loaded as None when left out, so a replayed create compares equal to the stored one.
    accuracy = JSONFloat(load_default=None, validate=validate.Range(0, 100000))


class ExchangeSchema(RecordSchema):
    kind = fields.String(required=True, validate=KEY)
    state = fields.String(load_default="done", validate=validate.OneOf(EXCHANGE_STATES))
    outcome = fields.String(allow_none=True, validate=KEY)
    subject = text(200)
    details = text(20000)
    starts_at = UTCDateTime(required=True)
    ends_at = UTCDateTime(allow_none=True)
    company_id = fields.UUID(allow_none=True)
    company_name = fields.String(dump_only=True, allow_none=True)
    contact_id = fields.UUID(allow_none=True)
    contact_name = fields.String(dump_only=True, allow_none=True)
    deal_ids = uuid_list()
    participant_ids = uuid_list()
    private = JSONBoolean(load_default=False)
    location = fields.Nested(LocationSchema, allow_none=True)
    created_by = fields.UUID(attribute="created_by_id", dump_only=True)
    created_by_name = fields.String(dump_only=True)

    @validates_schema
    def _ends_after_start(self, data: dict, **_kwargs) -> None:
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            raise ValidationError("Must not be before starts_at.", "ends_at")


class ExchangeArgsSchema(ArgsSchema):
    mine = fields.Boolean(load_default=False)
    state = fields.String(load_default=None, validate=validate.OneOf(EXCHANGE_STATES))
    kind = fields.String(load_default=None, validate=KEY)
    company_id = fields.UUID(load_default=None)
    contact_id = fields.UUID(load_default=None)
    deal_id = fields.UUID(load_default=None)
    starts_from = UTCDateTime(load_default=None, data_key="from")
    starts_to = UTCDateTime(load_default=None, data_key="to")


class PicklistSchema(RecordSchema):
    key = fields.String(required=True, validate=KEY)
    name_fr = text(80, required=True)
    name_en = text(80, required=True)
    abbreviation = text(8, required=True)
    font_color = fields.String(load_default="#1f2937", validate=COLOUR)
    background_color = fields.String(load_default="#e5e7eb", validate=COLOUR)
    position = JSONInteger(load_default=0, validate=validate.Range(0, 10000))
    active = JSONBoolean(load_default=True)


exchange_schema = ExchangeSchema()
exchange_patch_schema = patch_schema(ExchangeSchema)
exchange_args_schema = ExchangeArgsSchema()
picklist_schema = PicklistSchema()
picklist_patch_schema = patch_schema(PicklistSchema)
