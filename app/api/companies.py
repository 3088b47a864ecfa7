"""/api/companies: the firm's shared book of companies, with timelines."""

from app.api.crud import Resource, crud_blueprint
from app.schemas.company import company_args_schema, company_patch_schema, company_schema
from app.services import companies as svc

resource = Resource(
    "company", "companies", company_schema, company_patch_schema, company_args_schema,
    svc.list_companies, svc.get_company, svc.create_company, svc.update_company,
    svc.delete_company)
bp = crud_blueprint(resource)
