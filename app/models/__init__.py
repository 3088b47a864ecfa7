"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.attachment import ATTACHMENT_OWNERS, Attachment
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
from app.models.notification import Notification
from app.models.push import NotificationPreference, PushSubscription
from app.models.sync import ChangeCounter, SyncClient
from app.models.user import ROLES, Agency, User

__all__ = [
    "ATTACHMENT_OWNERS",
    "COMPANY_STATUSES",
    "EXCHANGE_STATES",
    "ROLES",
    "STAGES",
    "STAGE_PROBABILITY",
    "Agency",
    "Attachment",
    "ChangeCounter",
    "Company",
    "CompanyContact",
    "Contact",
    "Deal",
    "DealContact",
    "Exchange",
    "ExchangeKind",
    "Notification",
    "NotificationPreference",
    "Outcome",
    "PushSubscription",
    "SyncClient",
    "SyncedMixin",
    "User",
    "exchange_deals",
    "exchange_participants",
    "utcnow",
]
