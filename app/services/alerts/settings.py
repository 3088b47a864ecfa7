"""The rules' settings: anyone may read them, only an admin changes them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import AlertRule, User, utcnow
from app.services.alerts.engine import settings, sweep
from app.services.alerts.rules import RULES
from app.services.alerts.texts import RULE_NAMES
from app.services.errors import Forbidden, NotFound


@dataclass
class RuleView:
    key: str
    name: str
    enabled: bool
    params: dict
    defaults: dict
    record_types: tuple[str, ...]
    remedies: tuple[str, ...]


def _view(key: str, enabled: bool, params: dict, lang: str) -> RuleView:
    rule = RULES[key]
    name = RULE_NAMES[key].get(lang) or RULE_NAMES[key]["fr"]
    return RuleView(key, name, enabled, params, rule.defaults, rule.record_types, rule.remedies)


def list_rules(session: Session, lang: str) -> list[RuleView]:
    """Every rule with its current settings."""
    return [_view(key, enabled, params, lang)
            for key, (enabled, params) in settings(session).items()]


def save_rule(session: Session, user: User, key: str, data: dict, lang: str) -> RuleView:
    """Switch a rule on or off and set its thresholds (admins only), and sweep that rule at
    once: alerts of a rule switched off are resolved, new thresholds open or resolve alerts."""
    if user.role != "admin":
        raise Forbidden("Only an admin may change the alert rules.")
    rule = RULES.get(key)
    if rule is None:
        raise NotFound("No such rule.")
    params = rule.check(data.get("params") or {})
    row = session.get(AlertRule, key)
    if row is None:
        row = AlertRule(key=key)
        session.add(row)
    row.enabled, row.params, row.updated_at = data["enabled"], params, utcnow()
    session.flush()
    sweep(session, rules=[key])
    return _view(key, row.enabled, params, lang)
