"""Mentions: `@Prénom Nom` of an active colleague in an exchange's subject or details."""

from __future__ import annotations

import unicodedata
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay put): "É" -> "e"."""
    return "".join(unicodedata.normalize("NFD", ch)[0].lower() for ch in text)


def find(names: dict[uuid.UUID, str], *texts: str | None) -> set[uuid.UUID]:
    """The users whose name follows an "@" in these texts (the longest name that fits)."""
    by_name = sorted(((_fold(name.strip()), user_id) for user_id, name in names.items()
                      if name and name.strip()), key=lambda item: -len(item[0]))
    found: set[uuid.UUID] = set()
    for text in texts:
        folded = _fold(text or "")
        start = folded.find("@")
        while start != -1:
            rest = folded[start + 1:]
            if start > 0 and folded[start - 1].isalnum():  # an e-mail address, not a mention
                rest = ""
            for name, user_id in by_name:  # longest first: "@Marie Dupont" beats "@Marie"
                after = rest[len(name):len(name) + 1]
                if rest.startswith(name) and not (after.isalnum() or after == "_"):
                    found.add(user_id)
                    break
            start = folded.find("@", start + 1)
    return found


def mentioned(session: Session, *texts: str | None) -> set[uuid.UUID]:
    """Active colleagues named with an "@" in these texts."""
    if not any("@" in (text or "") for text in texts):
        return set()
    names = dict(session.execute(select(User.id, User.name).where(
        User.active.is_(True), User.deleted_at.is_(None))).all())
    return find(names, *texts)
