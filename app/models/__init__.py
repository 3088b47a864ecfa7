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
from app.models.session import LoginFailure, UserSession
from app.models.sync import ChangeCounter, SyncClient
from app.models.user import ROLES, Agency, User
from app.models.work import (
    ALERT_STATES,
    FOLLOWABLE,
    TASK_PRIORITIES,
    TASK_STATES,
    Alert,
    AlertRule,
    CalendarFeed,
    Follow,
    RecordEvent,
    ReminderSent,
    Task,
)

__all__ = [
    "ALERT_STATES",
    "ATTACHMENT_OWNERS",
    "COMPANY_STATUSES",
    "EXCHANGE_STATES",
    "FOLLOWABLE",
    "ROLES",
    "STAGES",
    "STAGE_PROBABILITY",
    "TASK_PRIORITIES",
    "TASK_STATES",
    "Agency",
    "Alert",
    "AlertRule",
    "Attachment",
    "CalendarFeed",
    "ChangeCounter",
    "Company",
    "CompanyContact",
    "Contact",
    "Deal",
    "DealContact",
    "Exchange",
    "ExchangeKind",
    "Follow",
    "LoginFailure",
    "Notification",
    "NotificationPreference",
    "Outcome",
    "PushSubscription",
    "RecordEvent",
    "ReminderSent",
    "SyncClient",
    "SyncedMixin",
    "Task",
    "User",
    "UserSession",
    "exchange_deals",
    "exchange_participants",
    "utcnow",
]
