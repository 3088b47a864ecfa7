"""Agenda and calendar feed schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from app.schemas.common import ArgsSchema, StrictSchema, UTCDateTime
from app.services.pagination import MAX_LIMIT


class AgendaArgsSchema(ArgsSchema):
    starts_from = UTCDateTime(load_default=None, data_key="from")
    starts_to = UTCDateTime(load_default=None, data_key="to")
    limit = fields.Integer(load_default=MAX_LIMIT, validate=validate.Range(1, MAX_LIMIT))


class CalendarFeedSchema(StrictSchema):
    url = fields.String(dump_only=True)


agenda_args_schema = AgendaArgsSchema()
calendar_feed_schema = CalendarFeedSchema()
