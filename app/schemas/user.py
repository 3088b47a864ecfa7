"""User, login and search schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from app.models import ROLES
from app.schemas.common import ArgsSchema, StrictSchema, text
from app.services.search import TYPES


class UserSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = text(120, required=True)
    role = fields.String(load_default="sales", validate=validate.OneOf(ROLES))
    agency_id = fields.UUID(allow_none=True)
    locale = fields.String(load_default="fr", validate=validate.OneOf(("fr", "en")))
    timezone = text(64)


class LoginSchema(StrictSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=1, max=1000))


class SessionSchema(StrictSchema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class TypesField(fields.String):
    """A comma-separated subset of the searchable types."""

    def _deserialize(self, value, attr, data, **kwargs) -> tuple[str, ...]:
        raw = super()._deserialize(value, attr, data, **kwargs)
        types = tuple(t for t in (p.strip() for p in raw.split(",")) if t)
        unknown = [t for t in types if t not in TYPES]
        if unknown or not types:
            raise self.make_error("invalid")
        return types

    default_error_messages = {"invalid": f"A comma-separated list of: {', '.join(TYPES)}."}


class SearchArgsSchema(ArgsSchema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200))
    types = TypesField(load_default=TYPES)
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 50))
    locale = fields.String(load_default=None, validate=validate.OneOf(("fr", "en")))


class SearchItemSchema(StrictSchema):
    type = fields.String(validate=validate.OneOf(TYPES))
    id = fields.UUID()
    title = fields.String()
    subtitle = fields.String()


user_schema = UserSchema()
login_schema = LoginSchema()
session_schema = SessionSchema()
search_args_schema = SearchArgsSchema()
search_item_schema = SearchItemSchema()
