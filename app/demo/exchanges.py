"""Demo exchanges: two years of history, the coming fortnight and today's plan."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo import data
from app.demo.state import PARIS, Demo, Firm
from app.models import Exchange, ExchangeKind, Outcome, exchange_deals, exchange_participants

PLANNED_SHARE, INTERNAL_SHARE, CANCELLED_SHARE, PRIVATE_SHARE = 0.025, 0.005, 0.03, 0.05
HISTORY_DAYS, PLANNING_DAYS = 730, 14


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

    def __init__(self, demo: Demo, rng: random.Random) -> None:
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

    def creator(self, firm: Firm) -> uuid.UUID:
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

    def location(self, firm: Firm | None, kind: str, state: str) -> dict:
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

    def link_deal(self, row: dict, firm: Firm | None) -> None:
        if firm is None or not firm.deals or self.rng.random() >= 0.3:
            return
        deal_id, created = self.rng.choice(firm.deals)
        if created <= row["starts_at"]:
            self.deal_links.append({"exchange_id": row["id"], "deal_id": deal_id})

    def subject(self, kind: str, start: datetime, subject: str | None) -> str:
        """A subject for the kind; "{year}" is next year's range from September on."""
        subject = subject or self.rng.choice(data.SUBJECTS.get(kind, data.DEFAULT_SUBJECTS))
        return subject.format(year=start.year + (start.month >= 9))

    def add(self, start: datetime, state: str, kind: str, firm: Firm | None,
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


def add_exchanges(demo: Demo, count: int) -> None:
    """Insert `count` exchanges with their deal and participant links."""
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
