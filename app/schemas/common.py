"""Shared fields and base schemas: strict bodies, lenient query strings."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from app.services.pagination import DEFAULT_LIMIT, MAX_LIMIT

YEARS = (1900, 2200)
YEARS_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"  # how the OpenAPI document says it


class UTCDateTime(fields.AwareDateTime):
    """ISO 8601 in, `...Z` out; a time without offset is taken as UTC."""

    def __init__(self, **kwargs) -> None:
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs) -> str | None:
        if value is None:
            return None
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:  # "9999-12-31T23:59-05:00" is valid ISO but has no UTC equivalent
            moment = parsed.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise self.make_error("invalid", input=value, obj_type="datetime") from exc
        # A CRM has no business with year 1 or 9999, and days added to them overflow later
        # (an agenda week, a due date in the assignee's zone).
        if not YEARS[0] <= moment.year <= YEARS[1]:
            raise ValidationError(f"Must be between the years {YEARS[0]} and {YEARS[1]}.")
        return moment


class NotBlank(validate.Validator):
    error = "Must not be blank."

    def __call__(self, value: str) -> str:
        if not value.strip():
            raise ValidationError(self.error)
        return value


class JSONBoolean(fields.Boolean):
    """true or false: a JSON body has real booleans, so "yes", 1 and "true" are errors."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class JSONFloat(fields.Float):
    """A JSON number; a numeric string or a boolean is an error (NaN and infinities too)."""

    def _deserialize(self, value, attr, data, **kwargs) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class JSONInteger(fields.Integer):
    """A JSON integer; 1.5, "3" and true are errors rather than silently converted."""

    def _deserialize(self, value, attr, data, **kwargs) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class JSONDecimal(fields.Decimal):
    """An amount: a JSON number, or a plain decimal string ("1200.50"), never "1e3" or " 12".

    Sent back as a string with two places. DECIMAL_PATTERN is what a string must look like.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(places=2, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float | str) or (
                isinstance(value, str) and not re.fullmatch(DECIMAL_PATTERN, value)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


DECIMAL_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def patch_schema(schema_class: type[Schema]) -> Schema:
    """PATCH bodies: any top-level field may be left out, but a nested object sent is whole.

    (`partial=True` would also make a link's company_id or a location's lng optional.)
    """
    return schema_class(partial=tuple(schema_class().fields))


def text(max_length: int, *, required: bool = False, **kwargs) -> fields.String:
    """An optional (nullable) string of bounded length, or a required non-blank one."""
    checks = [validate.Length(max=max_length)]
    if required:
        checks.append(NotBlank())
        return fields.String(required=True, validate=checks, **kwargs)
    return fields.String(allow_none=True, validate=checks, **kwargs)


def uuid_list(max_items: int = 50) -> fields.List:
    return fields.List(fields.UUID(), validate=validate.Length(max=max_items))


class StrictSchema(Schema):
    """Request bodies: unknown fields are errors."""

    class Meta:
        unknown = RAISE


class RecordSchema(StrictSchema):
    """Columns every synced record shows; the client may choose the id."""

    id = fields.UUID()
    version = fields.Integer(dump_only=True)
    created_at = UTCDateTime(dump_only=True)
    updated_at = UTCDateTime(dump_only=True)


class ArgsSchema(Schema):
    """Query strings: unknown parameters are ignored, known ones are checked."""

    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=1000))


class ListArgsSchema(ArgsSchema):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    owner = fields.String(load_default=None, validate=validate.Regexp(
        r"^(me|[0-9a-fA-F-]{32,36})$", error="Use 'me' or a user id."))


def owner_name(obj) -> str | None:
    return obj.owner.name if getattr(obj, "owner", None) else None


list_args_schema = ListArgsSchema()
page_args_schema = ArgsSchema()
