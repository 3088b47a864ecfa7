"""/api/deals: the firm's deals ("affaires"), with timelines."""

from app.api.crud import Resource, crud_blueprint
from app.schemas.company import deal_args_schema, deal_patch_schema, deal_schema
from app.services import deals as svc

resource = Resource(
    "deal", "deals", deal_schema, deal_patch_schema, deal_args_schema,
    svc.list_deals, svc.get_deal, svc.create_deal, svc.update_deal, svc.delete_deal)
bp = crud_blueprint(resource)
