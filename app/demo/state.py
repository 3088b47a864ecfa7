"""Generator state shared by the demo table builders, and the helpers they all use."""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models.events import next_change_seqs

PARIS = ZoneInfo("Europe/Paris")


def ascii_slug(text: str, sep: str = "-") -> str:
    """Lower-case ASCII words joined by `sep` ("Lefèvre & Fils" -> "lefevre-fils")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, plain).strip(sep)


@dataclass
class Firm:
    """What later tables need to know about a generated company."""

    id: uuid.UUID
    name: str
    status: str
    owner_id: uuid.UUID
    agency_id: uuid.UUID
    lat: float
    lng: float
    phone: str
    domain: str
    created_at: datetime
    contacts: list[uuid.UUID] = field(default_factory=list)
    deals: list[tuple[uuid.UUID, datetime]] = field(default_factory=list)


class Demo:
    """Generator state shared by the table builders, in dependency order."""

    def __init__(self, session: Session, seed: int, today: date) -> None:
        self.session = session
        self.seed = seed
        self.today = today
        # As if loaded the evening before: every created_at is in the past on the day itself.
        evening = datetime.combine(today - timedelta(days=1), time(20), PARIS)
        self.loaded_at = evening.astimezone(UTC)
        self.counts: dict[str, int] = {}
        self.agencies: dict[str, uuid.UUID] = {}
        self.users: dict[str, uuid.UUID] = {}  # e-mail local part -> id
        self.sales: dict[str, list[uuid.UUID]] = {"paris": [], "lyon": []}
        self.firms: list[Firm] = []
        self.firm_cum: list[float] = []  # cumulative activity weights, for rng.choices

    def rng(self, stream: str) -> random.Random:
        """An independent random stream per table, so one table's changes keep the others."""
        return random.Random(f"{self.seed}:{stream}")

    @staticmethod
    def new_id(rng: random.Random) -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def write(self, model, rows: list[dict]) -> None:
        """Bulk-insert synced rows with their change_seq, version and timestamps."""
        if not rows:
            return
        for row, seq in zip(rows, next_change_seqs(self.session, len(rows)), strict=True):
            row["change_seq"] = seq
            row.setdefault("version", 1)
            row.setdefault("created_at", self.loaded_at)
            row.setdefault("updated_at", row["created_at"])
        # The table, not the mapper: ORM bulk mode drops None values, which splits the
        # executemany into one statement per run of rows with the same non-null columns.
        self.session.execute(insert(model.__table__), rows)
        self.counts[model.__tablename__] = len(rows)

    def link(self, table, rows: list[dict]) -> None:
        """Bulk-insert association rows (not synced on their own)."""
        if rows:
            self.session.execute(insert(table), rows)
        self.counts[table.name] = len(rows)

    def days_ago(self, days: float) -> datetime:
        return self.loaded_at - timedelta(days=days)
