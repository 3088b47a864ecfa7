"""Alert and alert rule schemas."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.models import ALERT_STATES
from app.schemas.common import (
    ArgsSchema,
    JSONBoolean,
    JSONInteger,
    StrictSchema,
    UTCDateTime,
)

USER_STATES = ("acknowledged", "snoozed", "dismissed")  # what a user may set


class RemedySchema(StrictSchema):
    action = fields.String(dump_only=True, validate=validate.OneOf(
        ("log_call", "plan_visit", "reassign", "snooze", "open_task")))
    label = fields.String(dump_only=True)


class AlertRecordSchema(StrictSchema):
    type = fields.String(dump_only=True)
    id = fields.UUID(dump_only=True)
    title = fields.String(dump_only=True)


class AlertSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    rule = fields.String(dump_only=True)
    rule_name = fields.String(dump_only=True)
    record_type = fields.String(dump_only=True)
    record_id = fields.UUID(dump_only=True)
    user_id = fields.UUID(dump_only=True, allow_none=True)
    state = fields.String(dump_only=True, validate=validate.OneOf(ALERT_STATES))
    snoozed_until = UTCDateTime(dump_only=True, allow_none=True)
    resolved_at = UTCDateTime(dump_only=True, allow_none=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    remedies = fields.List(fields.Nested(RemedySchema), dump_only=True)
    record = fields.Nested(AlertRecordSchema, dump_only=True)
    facts = fields.Dict(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = UTCDateTime(dump_only=True)
    updated_at = UTCDateTime(dump_only=True)


class AlertArgsSchema(ArgsSchema):
    state = fields.String(load_default=None, validate=validate.OneOf(ALERT_STATES))
    scope = fields.String(load_default="mine", validate=validate.OneOf(("mine", "team")))
    record_id = fields.UUID(load_default=None)


class SnoozeSchema(StrictSchema):
    """{} (7 days), {days} or {until}."""

    days = JSONInteger(validate=validate.Range(1, 90))
    until = UTCDateTime()

    @validates_schema
    def _one_of(self, data: dict, **kwargs) -> None:
        if "days" in data and "until" in data:
            raise ValidationError("Give days or until, not both.", "until")


class AlertUpdateSchema(StrictSchema):
    """An outbox update of an alert (sync)."""

    state = fields.String(required=True, validate=validate.OneOf(USER_STATES))
    snoozed_until = UTCDateTime(load_default=None, allow_none=True)


class AlertCreateSchema(Schema):
    """Outbox creates of alerts are refused by the service, whatever they carry."""

    class Meta:
        unknown = EXCLUDE

    id = fields.UUID()


class CountsSchema(StrictSchema):
    open = fields.Integer(dump_only=True)
    live = fields.Integer(dump_only=True)
    by_rule = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)


class AlertRuleSchema(StrictSchema):
    key = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    enabled = JSONBoolean(required=True)
    params = fields.Dict(load_default=dict)
    defaults = fields.Dict(dump_only=True)
    record_types = fields.List(fields.String(), dump_only=True)
    remedies = fields.List(fields.String(), dump_only=True)


class AlertRuleListSchema(StrictSchema):
    items = fields.List(fields.Nested(AlertRuleSchema), dump_only=True)


alert_schema = AlertSchema()
alert_args_schema = AlertArgsSchema()
snooze_schema = SnoozeSchema()
alert_update_schema = AlertUpdateSchema()
alert_create_schema = AlertCreateSchema()
counts_schema = CountsSchema()
alert_rule_schema = AlertRuleSchema()
alert_rule_list_schema = AlertRuleListSchema()
