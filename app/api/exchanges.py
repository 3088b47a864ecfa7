"""/api/exchanges: calls, visits, notes... private ones only for their people."""

from app.api.crud import Resource, crud_blueprint
from app.schemas.exchange import exchange_args_schema, exchange_patch_schema, exchange_schema
from app.services import exchange_views
from app.services import exchanges as svc

resource = Resource(
    "exchange", "exchanges", exchange_schema, exchange_patch_schema, exchange_args_schema,
    exchange_views.list_exchanges, svc.get_exchange, svc.create_exchange, svc.update_exchange,
    svc.delete_exchange, has_timeline=False)
bp = crud_blueprint(resource)
