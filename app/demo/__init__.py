"""A deterministic French demo data set: agencies, users, companies, contacts, deals, exchanges,
tasks.

Same seed, same rows and same UUIDs. Rows go in with Core bulk inserts (one per table), so the
ORM flush hooks do not run: change_seq, version and timestamps are set here, and the search
index is rebuilt at the end. The caller commits.
"""

from __future__ import annotations

import random
from datetime import date, datetime

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.demo import data
from app.demo.book import add_companies, add_contacts, add_deals
from app.demo.exchanges import add_exchanges
from app.demo.state import PARIS, Demo, ascii_slug
from app.demo.tasks import add_tasks
from app.models import Agency, User
from app.services.search import rebuild_search_index
from app.services.setup import prepare_database

PASSWORD = "tournee-demo"
DOMAIN = "demo.tournee.fr"
PER_SCALE = {"companies": 300, "contacts": 800, "deals": 150, "exchanges": 5000}
MAX_SALES = 40


# --- agencies and users -------------------------------------------------------------------


def _agencies(demo: Demo) -> None:
    rng = demo.rng("agencies")
    rows = [{"id": demo.new_id(rng), "name": f"Agence de {city}", "city": city,
             "created_at": demo.days_ago(1200)} for city in ("Paris", "Lyon")]
    demo.agencies = {"paris": rows[0]["id"], "lyon": rows[1]["id"]}
    demo.write(Agency, rows)


def _extra_accounts(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """More sales people for bigger scales, alternating between the agencies."""
    taken = {a[0] for a in data.ACCOUNTS}
    extra = []
    while len(extra) < count:
        first = rng.choice(data.FEMALE_FIRST_NAMES + data.MALE_FIRST_NAMES)
        last = rng.choice(data.LAST_NAMES)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        if local not in taken:
            taken.add(local)
            extra.append((local, f"{first} {last}", "sales", ("paris", "lyon")[len(extra) % 2]))
    return extra


def _users(demo: Demo, scale: int, password_method: str) -> None:
    rng = demo.rng("users")
    base_sales = sum(1 for a in data.ACCOUNTS if a[2] == "sales")
    extra = _extra_accounts(rng, min(4 * (scale - 1), MAX_SALES - base_sales))
    password_hash = generate_password_hash(PASSWORD, method=password_method)  # once: scrypt is slow
    rows = []
    for local, name, role, agency in data.ACCOUNTS + extra:
        row = {"id": demo.new_id(rng), "email": f"{local}@{DOMAIN}", "name": name,
               "password_hash": password_hash, "role": role, "agency_id": demo.agencies[agency],
               "locale": "fr", "timezone": "Europe/Paris", "active": True,
               "created_at": demo.days_ago(1150 - len(rows))}
        rows.append(row)
        demo.users[local] = row["id"]
        if role == "sales":
            demo.sales[agency].append(row["id"])
    demo.write(User, rows)


def load_demo(session: Session, scale: int = 1, seed: int = 20261124, today: date | None = None,
              password_method: str = "scrypt") -> dict:
    """Fill the database with the demo data set; return the number of rows per table."""
    prepare_database(session)
    demo = Demo(session, seed, today or datetime.now(PARIS).date())
    _agencies(demo)
    _users(demo, scale, password_method)
    add_companies(demo, PER_SCALE["companies"] * scale)
    add_contacts(demo, PER_SCALE["contacts"] * scale)
    add_deals(demo, PER_SCALE["deals"] * scale)
    add_exchanges(demo, PER_SCALE["exchanges"] * scale)
    add_tasks(demo, scale)
    session.flush()
    demo.counts["search_index"] = rebuild_search_index(session)
    return demo.counts
