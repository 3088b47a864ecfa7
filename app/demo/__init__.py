"""A deterministic French demo data set: agencies, users, companies, contacts, deals, exchanges.

Same seed, same rows and same UUIDs. Rows go in with Core bulk inserts (one per table), so the
ORM flush hooks do not run: change_seq, version and timestamps are set here, and the search
index is rebuilt at the end. The caller commits.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.demo import data
from app.models import (
    STAGE_PROBABILITY,
    Agency,
    Company,
    CompanyContact,
    Contact,
    Deal,
    DealContact,
    Exchange,
    ExchangeKind,
    Outcome,
    User,
    exchange_deals,
    exchange_participants,
)
from app.models.events import next_change_seqs
from app.services.search import rebuild_search_index
from app.services.setup import prepare_database

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "tournee-demo"
DOMAIN = "demo.tournee.fr"
PER_SCALE = {"companies": 300, "contacts": 800, "deals": 150, "exchanges": 5000}
MAX_SALES = 40
STATUS_WEIGHTS = {"client": 45, "prospect": 40, "suspect": 15}
ACTIVITY = {"client": 3.0, "prospect": 2.0, "suspect": 0.4}  # exchanges and deals per status
STAGE_WEIGHTS = {"prospecting": 20, "qualification": 20, "proposal": 20, "negotiation": 15,
                 "won": 15, "lost": 10}
# Only clients have won deals; suspects are at the very start of the pipeline or lost.
STAGES_OF = {"client": tuple(STAGE_WEIGHTS),
             "prospect": ("prospecting", "qualification", "proposal", "negotiation", "lost"),
             "suspect": ("prospecting", "qualification", "lost")}
PLANNED_SHARE, INTERNAL_SHARE, CANCELLED_SHARE, PRIVATE_SHARE = 0.025, 0.005, 0.03, 0.05
HISTORY_DAYS, PLANNING_DAYS = 730, 14


def ascii_slug(text: str, sep: str = "-") -> str:
    """Lower-case ASCII words joined by `sep` ("Lefèvre & Fils" -> "lefevre-fils")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, plain).strip(sep)


@dataclass
class _Firm:
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


class _Demo:
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
        self.firms: list[_Firm] = []
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


def _phone(rng: random.Random, prefix: str) -> str:
    return " ".join([prefix, *(f"{rng.randint(0, 99):02d}" for _ in range(4))])


def _mobile(rng: random.Random) -> str:
    return _phone(rng, rng.choice(("06", "06", "07")))


# --- agencies and users -------------------------------------------------------------------


def _agencies(demo: _Demo) -> None:
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


def _users(demo: _Demo, scale: int, password_method: str) -> None:
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


# --- companies ----------------------------------------------------------------------------


def _company_name(rng: random.Random) -> str:
    last, form = rng.choice(data.LAST_NAMES), rng.choice(data.LEGAL_FORMS)
    pattern = rng.choices(range(9), weights=(16, 30, 8, 6, 6, 6, 12, 6, 4))[0]
    if pattern == 0:
        return f"{last} {form}"
    if pattern == 1:
        return f"{rng.choice(data.TRADES)} {last}"
    if pattern == 2:
        return f"{rng.choice(data.TRADES)} {last} & Fils"
    if pattern == 3:
        return f"Établissements {last}"
    if pattern == 4:
        return f"{rng.choice(data.FIRMS)} {last} Associés"
    if pattern == 5:
        return f"{last} & {rng.choice(data.LAST_NAMES)}"
    if pattern == 6:
        brand = rng.choice(data.BRAND_HEADS) + rng.choice(data.BRAND_TAILS)
        return f"{brand}{rng.choice(data.BRAND_SUFFIXES)} {form}"
    if pattern == 7:
        return f"SCI {rng.choice(data.SCI_NAMES)}"
    return f"{last} {rng.choice(('Industrie', 'Distribution', 'Bâtiment'))} SA"


def _unique_name(rng: random.Random, taken: set[str], city: str) -> str:
    for _ in range(12):
        name = _company_name(rng)
        if name not in taken:
            return name
    return f"{name} {city}"  # namesakes exist; the city tells them apart


def _street(rng: random.Random, town: str) -> str:
    number = f"{rng.randint(1, 180)}{rng.choice(('', '', '', '', '', '', 'bis'))}"
    street = f"{number} {rng.choice(data.STREET_TYPES)} {rng.choice(data.STREET_NAMES)}"
    if rng.random() < 0.15 and town != "Paris":
        return f"{rng.choice(data.BUSINESS_PARKS)}, {street}"
    return street


def _domain(rng: random.Random, name: str) -> str:
    core = re.sub(r"\b(SARL|SAS|SA|EURL)\b", "", name)
    return f"{ascii_slug(core)}.{rng.choice(('fr', 'fr', 'fr', 'com'))}"


def _company_row(demo: _Demo, rng: random.Random, name: str, city: tuple) -> tuple[dict, str]:
    town, postal, lat, lng, agency, prefix, _ = city
    domain = _domain(rng, name)
    has_web = rng.random() < 0.8
    return {
        "id": demo.new_id(rng), "name": name,
        "status": rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
        "phone": _phone(rng, prefix),
        "email": f"{rng.choice(('contact', 'accueil', 'info'))}@{domain}" if has_web else None,
        "website": f"https://www.{domain}" if has_web else None,
        "street": _street(rng, town), "postal_code": postal, "city": town, "country": "FR",
        "lat": round(lat + rng.gauss(0, 0.003), 6), "lng": round(lng + rng.gauss(0, 0.004), 6),
        "owner_id": rng.choice(demo.sales[agency]), "agency_id": demo.agencies[agency],
        "notes": rng.choice(data.NOTES) if rng.random() < 0.2 else None,
        "created_at": demo.days_ago(rng.uniform(731, 1100)),
    }, domain


def _companies(demo: _Demo, count: int) -> None:
    rng = demo.rng("companies")
    cities = data.CITIES
    weights = [c[6] for c in cities]
    paris_cities = [c for c in cities if c[4] == "paris"]
    taken = {"Dupont SARL"}
    rows = []
    for i in range(count):
        if i == 0:  # the company the tests and the guided tour look for
            row, domain = _company_row(demo, rng, "Dupont SARL", paris_cities[2])
            row.update(status="client", owner_id=demo.users["commercial"])
        else:
            city = rng.choices(cities, weights=weights)[0]
            name = _unique_name(rng, taken, city[0])
            taken.add(name)
            row, domain = _company_row(demo, rng, name, city)
        rows.append(row)
        demo.firms.append(_Firm(row["id"], row["name"], row["status"], row["owner_id"],
                                row["agency_id"], row["lat"], row["lng"], row["phone"], domain,
                                row["created_at"]))
    demo.firm_cum = list(accumulate(ACTIVITY[f.status] for f in demo.firms))
    demo.write(Company, rows)


# --- contacts -----------------------------------------------------------------------------


def _person(rng: random.Random) -> tuple[str, str, str]:
    """First name, last name and job title, with the title agreeing in gender."""
    if rng.random() < 0.5:
        return (rng.choice(data.FEMALE_FIRST_NAMES), rng.choice(data.LAST_NAMES),
                rng.choice(data.FEMALE_TITLES))
    return (rng.choice(data.MALE_FIRST_NAMES), rng.choice(data.LAST_NAMES),
            rng.choice(data.MALE_TITLES))


def _contact_row(demo: _Demo, rng: random.Random, firm: _Firm, person: tuple) -> dict:
    first, last, title = person
    created = firm.created_at + timedelta(hours=rng.uniform(0, 48))
    return {
        "id": demo.new_id(rng), "first_name": first, "last_name": last, "job_title": title,
        "email": (f"{ascii_slug(first)}.{ascii_slug(last)}@{firm.domain}"
                  if rng.random() < 0.9 else None),
        "phone": _phone(rng, firm.phone[:2]) if rng.random() < 0.5 else None,  # direct line
        "mobile": _mobile(rng) if rng.random() < 0.75 else None,
        "owner_id": firm.owner_id,
        "notes": "Préfère les échanges par SMS." if rng.random() < 0.05 else None,
        "created_at": created,
    }


def _contacts(demo: _Demo, count: int) -> None:
    rng = demo.rng("contacts")
    rows, links = [], []
    for i in range(count):
        # Every company gets one contact first, then the busiest ones get more.
        firm = demo.firms[i] if i < len(demo.firms) else rng.choices(
            demo.firms, cum_weights=demo.firm_cum)[0]
        person = ("Hélène", "Lefèvre", "Directrice achats") if i == 0 else _person(rng)
        row = _contact_row(demo, rng, firm, person)
        rows.append(row)
        firm.contacts.append(row["id"])
        links.append({"company_id": firm.id, "contact_id": row["id"],
                      "role": rng.choice(data.CONTACT_ROLES)})
        if rng.random() < 0.08 and len(demo.firms) > 1:
            other = rng.choice([f for f in rng.sample(demo.firms, 2) if f is not firm])
            links.append({"company_id": other.id, "contact_id": row["id"],
                          "role": rng.choice(data.SECOND_COMPANY_ROLES)})
    demo.write(Contact, rows)
    demo.link(CompanyContact.__table__, links)


# --- deals --------------------------------------------------------------------------------


def _deal_dates(demo: _Demo, rng: random.Random, stage: str, firm: _Firm) -> tuple:
    """Expected close date, created_at and updated_at of a deal at this stage."""
    if stage in ("won", "lost"):
        close = demo.today - timedelta(days=rng.randint(5, 600))
        created = datetime.combine(close, time(9), PARIS) - timedelta(days=rng.randint(20, 180))
        updated = datetime.combine(close, time(17), PARIS)
    else:
        close = demo.today + timedelta(days=rng.randint(-20, 180))
        created = demo.days_ago(rng.uniform(10, 400))
        updated = demo.days_ago(rng.uniform(0, 9))
    created = max(created.astimezone(UTC), firm.created_at + timedelta(days=1))
    return close, created, max(updated.astimezone(UTC), created)


def _amounts(rng: random.Random) -> dict:
    amount = round(math.exp(rng.uniform(math.log(1500), math.log(150_000))), -1)
    if rng.random() < 0.3:
        return {"amount": Decimal(int(amount / 5)),
                "recurring_amount": Decimal(rng.choice((49, 89, 149, 290, 450, 890, 1200))),
                "recurring_months": rng.choice((12, 24, 36, 48))}
    return {"amount": Decimal(int(amount)), "recurring_amount": None, "recurring_months": None}


def _deal_row(demo: _Demo, rng: random.Random, firm: _Firm, stage: str) -> dict:
    close, created, updated = _deal_dates(demo, rng, stage, firm)
    return {
        "id": demo.new_id(rng), "name": f"{rng.choice(data.DEAL_TOPICS)} {close.year}",
        "company_id": firm.id, "stage": stage, "probability": STAGE_PROBABILITY[stage],
        "currency": "EUR", **_amounts(rng), "expected_close_date": close,
        "owner_id": firm.owner_id, "agency_id": firm.agency_id,
        "notes": "Appel d'offres : dossier à rendre avant la date prévue."
        if rng.random() < 0.1 else None,
        "version": rng.randint(1, 6), "created_at": created, "updated_at": updated,
    }


def _deals(demo: _Demo, count: int) -> None:
    rng = demo.rng("deals")
    rows, links = [], []
    for i in range(count):
        firm = demo.firms[0] if i == 0 else rng.choices(demo.firms, cum_weights=demo.firm_cum)[0]
        stages = STAGES_OF[firm.status]
        stage = "negotiation" if i == 0 else rng.choices(
            stages, weights=[STAGE_WEIGHTS[s] for s in stages])[0]
        row = _deal_row(demo, rng, firm, stage)
        rows.append(row)
        firm.deals.append((row["id"], row["created_at"]))
        people = rng.sample(firm.contacts, min(len(firm.contacts), rng.choice((1, 1, 1, 2))))
        links += [{"deal_id": row["id"], "contact_id": c,
                   "role": rng.choice(data.DEAL_CONTACT_ROLES)} for c in people]
    demo.write(Deal, rows)
    demo.link(DealContact.__table__, links)


# --- exchanges ----------------------------------------------------------------------------


def _picklist(session: Session, model, weights: dict[str, int]) -> tuple[list[str], list[int]]:
    """Active keys of a picklist, in key order, with the cumulative weights of the demo."""
    keys = list(session.scalars(select(model.key).where(
        model.active.is_(True), model.deleted_at.is_(None)).order_by(model.key)))
    return keys, list(accumulate(weights.get(k, 1) for k in keys))


def _midnight(day: date) -> datetime:
    """Local midnight of `day` as a UTC instant, to which local clock times are added."""
    # The offset at noon: clocks change at night, outside working hours.
    return datetime.combine(day, time(0), UTC) - datetime.combine(day, time(12), PARIS).utcoffset()


def _working_days(today: date, days: range) -> list[datetime]:
    """Local midnights (UTC) of the weekdays among `today + d` for d in `days`."""
    dates = (today + timedelta(days=d) for d in days)
    return [_midnight(day) for day in dates if day.weekday() < 5]


class _Exchanges:
    """Builds exchange rows and their deal and participant links."""

    def __init__(self, demo: _Demo, rng: random.Random) -> None:
        self.demo, self.rng = demo, rng
        self.kinds, self.kind_cum = _picklist(demo.session, ExchangeKind, data.KIND_WEIGHTS)
        self.outcomes, self.outcome_cum = _picklist(demo.session, Outcome, data.OUTCOME_WEIGHTS)
        self.sales_of = {demo.agencies[k]: ids for k, ids in demo.sales.items()}
        self.everyone = list(demo.users.values())
        self.rows: list[dict] = []
        self.deal_links: list[dict] = []
        self.participant_links: list[dict] = []

    def kind(self, preferred: str | None = None) -> str:
        if preferred in self.kinds:
            return preferred
        return self.rng.choices(self.kinds, cum_weights=self.kind_cum)[0]

    def creator(self, firm: _Firm) -> uuid.UUID:
        draw = self.rng.random()
        if draw < 0.85:
            return firm.owner_id
        if draw < 0.97:
            return self.rng.choice(self.sales_of[firm.agency_id])
        return self.demo.users["manager"]

    def outcome(self, kind: str, state: str) -> str | None:
        if state != "done" or kind in ("note", "report") or not self.outcomes:
            return None
        if kind != "call" and self.rng.random() < 0.4:
            return None
        outcome = self.rng.choices(self.outcomes, cum_weights=self.outcome_cum)[0]
        return None if outcome == "no_answer" and kind in ("visit", "meeting") else outcome

    def details(self, kind: str, state: str, outcome: str | None) -> str | None:
        rng = self.rng
        if state == "cancelled":
            return rng.choice(data.CANCELLED_DETAILS)
        if state == "planned":
            return rng.choice(data.PLANNED_DETAILS) if rng.random() < 0.3 else None
        if outcome == "no_answer" and kind != "call":
            return None  # the details of no_answer speak of voicemail
        pool = data.OUTCOME_DETAILS.get(outcome, data.DETAILS)
        return rng.choice(pool) if rng.random() < 0.7 else None

    def stamps(self, start: datetime, end: datetime | None, state: str) -> dict:
        """created_at, updated_at and version as if logged by a real user."""
        rng, loaded_at = self.rng, self.demo.loaded_at
        if state == "done":
            created = min((end or start) + timedelta(minutes=rng.randint(1, 90)), loaded_at)
            return {"created_at": created, "updated_at": created, "version": 1}
        created = min(start, loaded_at) - timedelta(hours=rng.uniform(2, 480))
        if state == "planned":
            return {"created_at": created, "updated_at": created, "version": 1}
        updated = max(created, start - timedelta(hours=rng.uniform(0, 24)))
        return {"created_at": created, "updated_at": updated, "version": 2}

    def location(self, firm: _Firm | None, kind: str, state: str) -> dict:
        if firm is None or kind != "visit" or state != "done":
            return {"location_lat": None, "location_lng": None, "location_accuracy": None}
        rng = self.rng
        return {"location_lat": round(firm.lat + rng.gauss(0, 0.0004), 6),
                "location_lng": round(firm.lng + rng.gauss(0, 0.0005), 6),
                "location_accuracy": float(rng.randint(5, 60))}

    def participants(self, row: dict, kind: str, shared: bool, guests: list[uuid.UUID]) -> None:
        """Make ~5 % private (some with a colleague in); bring a colleague to a few meetings."""
        rng = self.rng
        row["private"] = not shared and rng.random() < PRIVATE_SHARE
        chance = 0.4 if row["private"] else 0.08 if kind in ("visit", "meeting") else 0
        people = set(guests)
        if rng.random() < chance:
            people.add(rng.choice(self.everyone))
        people.discard(row["created_by_id"])
        self.participant_links += [{"exchange_id": row["id"], "user_id": u}
                                   for u in sorted(people)]

    def link_deal(self, row: dict, firm: _Firm | None) -> None:
        if firm is None or not firm.deals or self.rng.random() >= 0.3:
            return
        deal_id, created = self.rng.choice(firm.deals)
        if created <= row["starts_at"]:
            self.deal_links.append({"exchange_id": row["id"], "deal_id": deal_id})

    def subject(self, kind: str, start: datetime, subject: str | None) -> str:
        """A subject for the kind; "{year}" is next year's range from September on."""
        subject = subject or self.rng.choice(data.SUBJECTS.get(kind, data.DEFAULT_SUBJECTS))
        return subject.format(year=start.year + (start.month >= 9))

    def add(self, start: datetime, state: str, kind: str, firm: _Firm | None,
            creator: uuid.UUID, subject: str | None = None, shared: bool = False,
            guests: tuple | list = ()) -> None:
        """Append one exchange and its links; `shared` ones are never private."""
        rng = self.rng
        span = data.TIMED_KINDS.get(kind)
        end = start + timedelta(minutes=rng.randint(*span)) if span else None
        with_contact = firm is not None and firm.contacts and rng.random() < 0.85
        outcome = self.outcome(kind, state)
        row = {"id": self.demo.new_id(rng), "kind": kind, "state": state, "outcome": outcome,
               "subject": self.subject(kind, start, subject),
               "details": self.details(kind, state, outcome), "starts_at": start, "ends_at": end,
               "company_id": firm.id if firm else None,
               "contact_id": rng.choice(firm.contacts) if with_contact else None,
               "created_by_id": creator, **self.location(firm, kind, state),
               **self.stamps(start, end, state)}
        self.participants(row, kind, shared, guests)
        self.link_deal(row, firm)
        self.rows.append(row)

    def client_exchange(self, day: datetime, state: str) -> None:
        """An exchange with a company, at a working hour (08:00-18:30)."""
        rng = self.rng
        firm = rng.choices(self.demo.firms, cum_weights=self.demo.firm_cum)[0]
        start = day + timedelta(minutes=5 * rng.randint(96, 222))
        self.add(start, state, self.kind(), firm, self.creator(firm))

    def internal(self, day: datetime, state: str) -> None:
        """A team meeting or training with a few colleagues: no client at all."""
        rng = self.rng
        start = day + timedelta(hours=rng.choice((8, 9, 14, 17)))
        self.add(start, state, self.kind("meeting"), None, rng.choice(self.everyone),
                 rng.choice(data.INTERNAL_SUBJECTS), shared=True,
                 guests=rng.sample(self.everyone, 3))

    def today_plan(self, day: datetime) -> None:
        """Several visits and calls planned today for commercial@, the first at Dupont SARL."""
        me = self.demo.users["commercial"]
        mine = [f for f in self.demo.firms if f.owner_id == me]
        for i, ((hour, minute), kind, subject) in enumerate(data.TODAY_PLAN):
            firm = self.demo.firms[0] if i == 0 else self.rng.choice(mine)
            start = day + timedelta(hours=hour, minutes=minute)
            self.add(start, "planned", self.kind(kind), firm, me, subject, shared=True)


def _exchanges(demo: _Demo, count: int) -> None:
    rng = demo.rng("exchanges")
    maker = _Exchanges(demo, rng)
    past = _working_days(demo.today, range(-HISTORY_DAYS, 0))
    coming = _working_days(demo.today, range(PLANNING_DAYS + 1))
    maker.today_plan(_midnight(demo.today))  # even on a Sunday: the home screen needs them
    planned, internal = round(count * PLANNED_SHARE), max(3, round(count * INTERNAL_SHARE))
    for _ in range(planned):
        maker.client_exchange(rng.choice(coming), "planned")
    for i in range(internal):  # one in five still to come
        ahead = i % 5 == 0
        maker.internal(rng.choice(coming if ahead else past), "planned" if ahead else "done")
    while len(maker.rows) < count:
        maker.client_exchange(rng.choice(past), "cancelled" if rng.random() < CANCELLED_SHARE
                              else "done")
    # change_seq follows the order in which the rows would have been written.
    maker.rows.sort(key=lambda r: (r["created_at"], r["id"]))
    demo.write(Exchange, maker.rows)
    demo.link(exchange_deals, maker.deal_links)
    demo.link(exchange_participants, maker.participant_links)


def load_demo(session: Session, scale: int = 1, seed: int = 20261124, today: date | None = None,
              password_method: str = "scrypt") -> dict:
    """Fill the database with the demo data set; return the number of rows per table."""
    prepare_database(session)
    demo = _Demo(session, seed, today or datetime.now(PARIS).date())
    _agencies(demo)
    _users(demo, scale, password_method)
    _companies(demo, PER_SCALE["companies"] * scale)
    _contacts(demo, PER_SCALE["contacts"] * scale)
    _deals(demo, PER_SCALE["deals"] * scale)
    _exchanges(demo, PER_SCALE["exchanges"] * scale)
    session.flush()
    demo.counts["search_index"] = rebuild_search_index(session)
    return demo.counts
