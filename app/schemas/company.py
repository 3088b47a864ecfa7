"""Company, contact and deal schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from app.models import COMPANY_STATUSES, STAGES
from app.schemas.common import (
    JSONDecimal,
    JSONFloat,
    JSONInteger,
    ListArgsSchema,
    RecordSchema,
    StrictSchema,
    owner_name,
    patch_schema,
    text,
)


class CompanySchema(RecordSchema):
    name = text(200, required=True)
    status = fields.String(load_default="prospect", validate=validate.OneOf(COMPANY_STATUSES))
    phone = text(40)
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    website = text(300)
    street = text(300)
    postal_code = text(20)
    city = text(120)
    country = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    lat = JSONFloat(allow_none=True, validate=validate.Range(-90, 90))
    lng = JSONFloat(allow_none=True, validate=validate.Range(-180, 180))
    owner_id = fields.UUID(allow_none=True)
    owner_name = fields.Function(owner_name, dump_only=True)
    agency_id = fields.UUID(allow_none=True)
    notes = text(10000)


class CompanyLinkSchema(StrictSchema):
    company_id = fields.UUID(required=True)
    role = text(120)
    name = fields.Function(lambda link: link.company.name, dump_only=True)


class ContactSchema(RecordSchema):
    first_name = text(120)
    last_name = text(120, required=True)
    full_name = fields.String(dump_only=True)
    job_title = text(200)
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    phone = text(40)
    mobile = text(40)
    owner_id = fields.UUID(allow_none=True)
    owner_name = fields.Function(owner_name, dump_only=True)
    notes = text(10000)
    companies = fields.List(fields.Nested(CompanyLinkSchema), attribute="company_links",
                            data_key="companies", validate=validate.Length(max=50))


class DealContactSchema(StrictSchema):
    contact_id = fields.UUID(required=True)
    role = text(120)
    name = fields.Function(lambda link: link.contact.full_name, dump_only=True)


class DealSchema(RecordSchema):
    name = text(200, required=True)
    company_id = fields.UUID(required=True)
    company_name = fields.Function(lambda d: d.company.name, dump_only=True)
    stage = fields.String(load_default="prospecting", validate=validate.OneOf(STAGES))
    probability = JSONInteger(allow_none=True, validate=validate.Range(0, 100))
    amount = JSONDecimal(allow_none=True, validate=validate.Range(0, 10**12, max_inclusive=False))
    currency = fields.String(load_default="EUR", validate=validate.Regexp(r"^[A-Z]{3}$"))
    recurring_amount = JSONDecimal(allow_none=True,
                                   validate=validate.Range(0, 10**12, max_inclusive=False))
    recurring_months = JSONInteger(allow_none=True, validate=validate.Range(1, 600))
    expected_close_date = fields.Date(allow_none=True)
    owner_id = fields.UUID(allow_none=True)
    owner_name = fields.Function(owner_name, dump_only=True)
    agency_id = fields.UUID(allow_none=True)
    notes = text(10000)
    contacts = fields.List(fields.Nested(DealContactSchema), attribute="contact_links",
                           data_key="contacts", validate=validate.Length(max=50))


class CompanyArgsSchema(ListArgsSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(COMPANY_STATUSES))


class ContactArgsSchema(ListArgsSchema):
    company_id = fields.UUID(load_default=None)


class DealArgsSchema(ListArgsSchema):
    company_id = fields.UUID(load_default=None)
    stage = fields.String(load_default=None, validate=validate.OneOf(STAGES))


company_schema = CompanySchema()
company_patch_schema = patch_schema(CompanySchema)
contact_schema = ContactSchema()
contact_patch_schema = patch_schema(ContactSchema)
deal_schema = DealSchema()
deal_patch_schema = patch_schema(DealSchema)
company_args_schema = CompanyArgsSchema()
contact_args_schema = ContactArgsSchema()
deal_args_schema = DealArgsSchema()
