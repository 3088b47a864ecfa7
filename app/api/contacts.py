"""/api/contacts: people at the firm's clients, with timelines."""

from app.api.crud import Resource, crud_blueprint
from app.schemas.company import contact_args_schema, contact_patch_schema, contact_schema
from app.services import contacts as svc

resource = Resource(
    "contact", "contacts", contact_schema, contact_patch_schema, contact_args_schema,
    svc.list_contacts, svc.get_contact, svc.create_contact, svc.update_contact,
    svc.delete_contact)
bp = crud_blueprint(resource)
