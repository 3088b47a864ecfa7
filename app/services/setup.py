"""Rows every database needs: the change counter and the default picklists."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChangeCounter, ExchangeKind, Outcome

# key, French, English, abbreviation, font colour, background colour
DEFAULT_KINDS = [
    ("call", "Appel", "Call", "APP", "#0b3d91", "#dbe7ff"),
    ("visit", "Visite", "Visit", "VIS", "#14532d", "#d9f5e3"),
    ("meeting", "Rendez-vous", "Meeting", "RDV", "#4a1d7a", "#eadcff"),
    ("email", "E-mail", "E-mail", "MEL", "#7c2d12", "#ffe4d2"),
    ("letter", "Courrier", "Letter", "COU", "#374151", "#e5e7eb"),
    ("sms", "SMS", "Text message", "SMS", "#134e4a", "#ccf2ee"),
    ("note", "Note", "Note", "NOT", "#713f12", "#fdf0c4"),
    ("report", "Compte rendu", "Report", "CR", "#1e3a8a", "#e0e7ff"),
]
DEFAULT_OUTCOMES = [
    ("interested", "Intéressé", "Interested", "INT", "#14532d", "#d9f5e3"),
    ("call_back", "À rappeler", "Call back", "RAP", "#7c2d12", "#ffe4d2"),
    ("no_answer", "Pas de réponse", "No answer", "NRP", "#374151", "#e5e7eb"),
    ("quote_sent", "Devis envoyé", "Quote sent", "DEV", "#1e3a8a", "#e0e7ff"),
    ("order", "Commande", "Order", "CDE", "#064e3b", "#bbf7d0"),
    ("not_interested", "Pas intéressé", "Not interested", "NON", "#7f1d1d", "#fee2e2"),
]


def _seed_picklist(session: Session, model: type, entries: list[tuple]) -> None:
    present = set(session.scalars(select(model.key)))
    for position, (key, fr, en, abbr, font, background) in enumerate(entries):
        if key not in present:
            session.add(model(key=key, name_fr=fr, name_en=en, abbreviation=abbr,
                              font_color=font, background_color=background, position=position))


def prepare_database(session: Session) -> None:
    """Create the change counter row and default exchange kinds and outcomes if missing."""
    if session.get(ChangeCounter, 1) is None:
        session.add(ChangeCounter(id=1, value=0))
        session.flush()
    _seed_picklist(session, ExchangeKind, DEFAULT_KINDS)
    _seed_picklist(session, Outcome, DEFAULT_OUTCOMES)
    session.flush()
