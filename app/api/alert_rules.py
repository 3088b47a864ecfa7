"""/api/alert-rules: the alert rules' settings (read by all, changed by admins)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.api.common import endpoint, request_lang
from app.extensions import db
from app.schemas.alert import alert_rule_list_schema, alert_rule_schema
from app.services.alerts import settings
from app.services.alerts.rules import RULES
from app.services.alerts.settings import RuleView

bp = Blueprint("alert_rules", __name__, url_prefix="/alert-rules")


@bp.get("")
@endpoint(out=alert_rule_list_schema)
def list_rules() -> dict:
    """Every alert rule: on or off, thresholds, defaults, remedies."""
    return {"items": settings.list_rules(db.session, request_lang())}


@bp.put(f"/<any({', '.join(RULES)}):key>")
@endpoint(body=alert_rule_schema, out=alert_rule_schema)
def save_rule(key: str, data: dict) -> RuleView:
    """Switch a rule on or off and set its thresholds (admins)."""
    return settings.save_rule(db.session, current_user, key, data, request_lang())
