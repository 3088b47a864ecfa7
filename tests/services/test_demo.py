"""The demo data set: sizes, determinism, the records the tour relies on, sync bookkeeping."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.demo import PASSWORD, load_demo
from app.models import (
    STAGE_PROBABILITY,
    Agency,
    ChangeCounter,
    Company,
    Contact,
    Deal,
    Exchange,
    SyncedMixin,
    Task,
    User,
    exchange_participants,
    utcnow,
)
from app.services.search import search
from app.services.users import authenticate

TODAY = date(2026, 11, 24)  # a Tuesday
FAST_HASH = "pbkdf2:sha256:1000"
ACCOUNTS = {
    "admin@demo.tournee.fr": "admin",
    "manager@demo.tournee.fr": "manager",
    "commercial@demo.tournee.fr": "sales",
    "commercial2@demo.tournee.fr": "sales",
}


def _load(db, today: date = TODAY) -> dict:
    counts = load_demo(db.session, today=today, password_method=FAST_HASH)
    db.session.commit()
    return counts


@pytest.fixture()
def demo(db) -> dict:
    return _load(db)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _snapshot(db) -> dict:
    """Ids and names of every generated record, in a stable order."""
    rows = {
        "users": select(User.id, User.email, User.name),
        "companies": select(Company.id, Company.name, Company.city),
        "contacts": select(Contact.id, Contact.first_name, Contact.last_name),
        "deals": select(Deal.id, Deal.name, Deal.company_id),
        "exchanges": select(Exchange.id, Exchange.subject, Exchange.starts_at),
    }
    return {key: sorted(tuple(r) for r in db.session.execute(q)) for key, q in rows.items()}


def test_scale_one_counts(demo, db):
    assert (demo["companies"], demo["contacts"], demo["deals"], demo["exchanges"]) == (
        300, 800, 150, 5000)
    assert _count(db, Company) == 300
    assert _count(db, Contact) == 800
    assert _count(db, Deal) == 150
    assert _count(db, Exchange) == 5000
    assert _count(db, Agency) == 2
    assert _count(db, User) == demo["users"] >= 8


def test_same_seed_gives_same_rows(db):
    _load(db)
    first = _snapshot(db)
    db.session.remove()
    db.drop_all()
    db.create_all()
    _load(db)
    assert _snapshot(db) == first
    assert len(first["exchanges"]) == 5000


def test_another_seed_gives_other_ids(db):
    load_demo(db.session, seed=1, today=TODAY, password_method=FAST_HASH)
    other = {c[0] for c in _snapshot(db)["companies"]}
    db.session.rollback()
    _load(db)
    assert other.isdisjoint({c[0] for c in _snapshot(db)["companies"]})


def test_dupont_sarl_and_helene_are_there(demo, db):
    names = list(db.session.scalars(select(Company.name).where(Company.name == "Dupont SARL")))
    assert names == ["Dupont SARL"]
    assert db.session.scalar(select(func.count()).where(Contact.first_name == "Hélène")) >= 1
    found = search(db.session, "dup", types=("company",))
    assert [hit["title"] for hit in found] == ["Dupont SARL"]
    assert "Hélène" in {hit["title"].split()[0] for hit in search(db.session, "hel")}


def test_companies_are_french_and_owned_by_sales(demo, db):
    sales = set(db.session.scalars(select(User.id).where(User.role == "sales")))
    for company in db.session.scalars(select(Company)):
        assert company.country == "FR"
        assert company.owner_id in sales
        assert company.postal_code.isdigit() and len(company.postal_code) == 5
        assert 41 < company.lat < 52 and -5.5 < company.lng < 10
        assert len(company.phone) == 14 and company.phone[:2] in {"01", "02", "03", "04", "05"}


def test_every_deal_has_a_company_and_its_stage_probability(demo, db):
    deals = list(db.session.scalars(select(Deal)))
    assert {d.stage for d in deals} == set(STAGE_PROBABILITY)
    for deal in deals:
        assert deal.company is not None
        assert deal.probability == STAGE_PROBABILITY[deal.stage]


def test_demo_accounts_log_in(demo, db):
    for email, role in ACCOUNTS.items():
        user = authenticate(db.session, email, PASSWORD)
        assert user is not None and user.role == role
        assert user.check_password(PASSWORD) and not user.check_password("wrong-password")
    assert db.session.scalar(select(User.name).where(User.role == "admin")) == "Alice Martin"


def test_exchanges_mix(demo, db):
    def share(*where) -> int:
        return db.session.scalar(select(func.count()).select_from(Exchange).where(*where))

    assert 100 <= share(Exchange.private.is_(True)) <= 400
    assert share(Exchange.private.is_(True), Exchange.id.in_(
        select(exchange_participants.c.exchange_id))) > 0
    assert 50 <= share(Exchange.state == "cancelled") <= 300
    assert share(Exchange.company_id.is_(None)) > 0
    visits = share(Exchange.kind == "visit", Exchange.state == "done")
    assert share(Exchange.kind == "visit", Exchange.location_lat.is_not(None)) == visits > 0
    oldest = db.session.scalar(select(func.min(Exchange.starts_at)))
    assert oldest >= datetime.combine(TODAY - timedelta(days=731), time(0), UTC)


@pytest.mark.parametrize("today", [TODAY, date(2026, 11, 28)], ids=["tuesday", "saturday"])
def test_several_exchanges_planned_today_for_commercial(db, today):
    _load(db, today)
    paris = ZoneInfo("Europe/Paris")
    start = datetime.combine(today, time(0), paris)
    me = db.session.scalar(select(User).where(User.email == "commercial@demo.tournee.fr"))
    planned = list(db.session.scalars(select(Exchange).where(
        Exchange.created_by_id == me.id, Exchange.state == "planned",
        Exchange.starts_at >= start, Exchange.starts_at < start + timedelta(days=1))))
    assert len(planned) >= 3
    assert all(e.starts_at.tzinfo is not None for e in planned)
    assert any(e.company.name == "Dupont SARL" for e in planned)


def test_commercial_has_open_tasks_one_overdue(demo, db):
    me = db.session.scalar(select(User).where(User.email.like("commercial@%")))
    mine = list(db.session.scalars(select(Task).where(Task.assignee_id == me.id,
                                                      Task.state == "open")))
    assert len(mine) >= 5
    now = utcnow()
    assert sum(1 for t in mine if t.due_at < now) >= 1
    assert all(t.created_by_id != me.id and t.company_id for t in mine)


def test_synced_rows_get_distinct_change_seqs(demo, db):
    seqs = []
    for model in (Agency, User, Company, Contact, Deal, Exchange, Task):
        assert issubclass(model, SyncedMixin)
        seqs += db.session.scalars(select(model.change_seq).where(model.version >= 1))
    assert len(seqs) == len(set(seqs)) and min(seqs) > 0
    assert db.session.get(ChangeCounter, 1).value == max(seqs)
