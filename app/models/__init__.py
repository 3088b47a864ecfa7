"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.base import SyncedMixin, utcnow
from app.models.company import COMPANY_STATUSES, Company, CompanyContact, Contact
from app.models.deal import STAGE_PROBABILITY, STAGES, Deal, DealContact
from app.models.exchange import (
    EXCHANGE_STATES,
    Exchange,
    ExchangeKind,
    Outcome,
    exchange_deals,
    exchange_participants,
)
from app.models.sync import ChangeCounter
from app.models.user import ROLES, Agency, User

__all__ = [
    "COMPANY_STATUSES",
    "EXCHANGE_STATES",
    "ROLES",
    "STAGES",
    "STAGE_PROBABILITY",
    "Agency",
    "ChangeCounter",
    "Company",
    "CompanyContact",
    "Contact",
    "Deal",
    "DealContact",
    "Exchange",
    "ExchangeKind",
    "Outcome",
    "SyncedMixin",
    "User",
    "exchange_deals",
    "exchange_participants",
    "utcnow",
]
