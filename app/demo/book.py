"""The demo address book: companies, their contacts and their deals."""

from __future__ import annotations

import math
import random
import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from app.demo import data
from app.demo.state import PARIS, Demo, Firm, ascii_slug
from app.models import STAGE_PROBABILITY, Company, CompanyContact, Contact, Deal, DealContact

STATUS_WEIGHTS = {"client": 45, "prospect": 40, "suspect": 15}
ACTIVITY = {"client": 3.0, "prospect": 2.0, "suspect": 0.4}  # exchanges and deals per status
STAGE_WEIGHTS = {"prospecting": 20, "qualification": 20, "proposal": 20, "negotiation": 15,
                 "won": 15, "lost": 10}
# Only clients have won deals; suspects are at the very start of the pipeline or lost.
STAGES_OF = {"client": tuple(STAGE_WEIGHTS),
             "prospect": ("prospecting", "qualification", "proposal", "negotiation", "lost"),
             "suspect": ("prospecting", "qualification", "lost")}


def _phone(rng: random.Random, prefix: str) -> str:
    return " ".join([prefix, *(f"{rng.randint(0, 99):02d}" for _ in range(4))])


def _mobile(rng: random.Random) -> str:
    return _phone(rng, rng.choice(("06", "06", "07")))


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


def _company_row(demo: Demo, rng: random.Random, name: str, city: tuple) -> tuple[dict, str]:
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


def add_companies(demo: Demo, count: int) -> None:
    """Insert `count` companies; the first is Dupont SARL, the tour's client."""
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
        demo.firms.append(Firm(row["id"], row["name"], row["status"], row["owner_id"],
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


def _contact_row(demo: Demo, rng: random.Random, firm: Firm, person: tuple) -> dict:
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


def add_contacts(demo: Demo, count: int) -> None:
    """Insert `count` contacts and link them to their companies."""
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


def _deal_dates(demo: Demo, rng: random.Random, stage: str, firm: Firm) -> tuple:
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


def _deal_row(demo: Demo, rng: random.Random, firm: Firm, stage: str) -> dict:
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


def add_deals(demo: Demo, count: int) -> None:
    """Insert `count` deals and link them to contacts of their company."""
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
