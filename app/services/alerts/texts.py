"""What an alert says, in French and English, from its rule and facts (never an exchange's words).

Durations are counted when the text is rendered, from the stable date in the facts, so an
alert's row does not change every day just because one more day went by.
"""

from __future__ import annotations

from datetime import date, datetime

from app.models import Alert, utcnow
from app.services.alerts.rules import HOME, RULES

LANGS = ("fr", "en")
BODIES = {
    "deal_neglected": {"fr": "Aucun échange sur cette affaire depuis {days} jours",
                       "en": "No exchange on this deal for {days} days"},
    "deal_overdue": {"fr": "Date de clôture prévue dépassée ({date})",
                     "en": "Expected close date passed ({date})"},
    "task_overdue": {"fr": "Tâche en retard (échéance {date})",
                     "en": "Task overdue (due {date})"},
    "client_neglected": {"fr": "Aucun échange avec ce client depuis {days} jours",
                         "en": "No exchange with this client for {days} days"},
    "record_unowned": {"fr": "Aucun interlocuteur principal", "en": "Nobody is in charge"},
    "prospect_untouched": {"fr": "Prospect jamais contacté depuis {elapsed}",
                           "en": "Prospect not contacted for {elapsed}"},
}
RULE_NAMES = {
    "deal_neglected": {"fr": "Affaire délaissée", "en": "Neglected deal"},
    "deal_overdue": {"fr": "Affaire en retard", "en": "Overdue deal"},
    "task_overdue": {"fr": "Tâche en retard", "en": "Overdue task"},
    "client_neglected": {"fr": "Client délaissé", "en": "Neglected client"},
    "record_unowned": {"fr": "Fiche sans responsable", "en": "Unowned record"},
    "prospect_untouched": {"fr": "Prospect non contacté", "en": "Untouched prospect"},
}
REMEDIES = {
    "log_call": {"fr": "Noter un appel", "en": "Log a call"},
    "plan_visit": {"fr": "Planifier une visite", "en": "Plan a visit"},
    "reassign": {"fr": "Réattribuer", "en": "Reassign"},
    "snooze": {"fr": "Reporter 7 j", "en": "Snooze 7 d"},
    "open_task": {"fr": "Ouvrir la tâche", "en": "Open the task"},
}
DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}


def _when(value: str, lang: str) -> str:
    """A date (or a moment, as the firm's calendar day) written for this language."""
    day = (datetime.fromisoformat(value).astimezone(HOME).date() if "T" in value
           else date.fromisoformat(value))
    return day.strftime(DATE_FORMATS[lang])


def _elapsed(since: str, now: datetime, lang: str) -> str:
    hours = max(0, int((now - datetime.fromisoformat(since)).total_seconds() // 3600))
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} {'jours' if lang == 'fr' else 'days'}"


def texts(rule: str, facts: dict, now: datetime | None = None) -> dict[str, dict[str, str]]:
    """{"fr": {"title", "body"}, "en": {...}}: the record's name, then the situation."""
    now = now or utcnow()
    out = {}
    for lang in LANGS:
        values = {}
        if "since" in facts:
            since = datetime.fromisoformat(facts["since"])
            values["days"] = max(0, (now - since).days)
            values["elapsed"] = _elapsed(facts["since"], now, lang)
        if "date" in facts or "due_at" in facts:
            values["date"] = _when(facts.get("date") or facts["due_at"], lang)
        out[lang] = {"title": facts.get("title") or RULE_NAMES[rule][lang],
                     "body": BODIES[rule][lang].format(**values)}
    return out


def remedies(rule: str, lang: str) -> list[dict[str, str]]:
    """The rule's suggested actions, labelled in this language."""
    return [{"action": action, "label": REMEDIES[action].get(lang) or REMEDIES[action]["fr"]}
            for action in RULES[rule].remedies]


def push_actions(rule: str) -> list[dict]:
    """At most two push buttons (what browsers show): snooze first when the rule offers it."""
    actions = sorted(RULES[rule].remedies, key=lambda a: a != "snooze")[:2]
    return [{"action": action, "title": dict(REMEDIES[action])} for action in actions]


def localised(alert: Alert, lang: str, now: datetime | None = None) -> Alert:
    """Give the alert its title, body, remedies and record in this language (for dumping)."""
    lang = lang if lang in LANGS else "fr"
    text = texts(alert.rule, alert.facts or {}, now)[lang]
    alert.title, alert.body = text["title"], text["body"]
    alert.rule_name = RULE_NAMES[alert.rule][lang]
    alert.remedies = remedies(alert.rule, lang)
    alert.record = {"type": alert.record_type, "id": str(alert.record_id),
                    "title": (alert.facts or {}).get("title", "")}
    return alert
