"""Each alert rule fires past its threshold and not at it, for the right person; admins'
thresholds apply. Time is fixed: every rule takes `now`."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import AlertRule, Task, exchange_deals, exchange_participants
from app.services.alerts.engine import settings, sweep
from app.services.alerts.rules import RULES, months_before
from app.services.errors import Invalid
from tests.factories import (
    CompanyContactFactory,
    CompanyFactory,
    ContactFactory,
    DealFactory,
    ExchangeFactory,
)

NOW = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=400)
SECOND = timedelta(seconds=1)


def found(key: str, now: datetime = NOW, scope=None) -> dict:
    """(record_type, record_id) -> Match of what the rule finds with the current settings."""
    _, params = settings(db.session)[key]
    return {(m.record_type, m.record_id): m
            for m in RULES[key].find(db.session, now, params, scope)}


def exchange(at: datetime, *, deals=(), **fields):
    made = ExchangeFactory(starts_at=at, **fields)
    for deal in deals:
        db.session.execute(exchange_deals.insert().values(exchange_id=made.id, deal_id=deal.id))
    db.session.commit()
    return made


def task(people, **fields) -> Task:
    row = Task(id=uuid.uuid4(), title="Rappeler pour le devis", assignee_id=people.a.id,
               created_by_id=people.manager.id, **fields)
    db.session.add(row)
    db.session.commit()
    return row


# -- deal_neglected ----------------------------------------------------------------------------

def test_deal_neglected_counts_from_the_latest_done_exchange(people):
    deal = DealFactory(owner=people.a, stage="proposal", created_at=LONG_AGO)
    exchange(NOW - timedelta(days=14), deals=[deal], created_by=people.b)

    assert found("deal_neglected") == {}  # exactly 14 days: not yet
    (match,) = found("deal_neglected", NOW + SECOND).values()
    assert (match.record_type, match.record_id, match.user_id) == ("deal", deal.id, people.a.id)
    assert match.facts == {"title": deal.name, "since": "2027-03-01T10:00:00Z",
                           "stage": "proposal", "limit_days": 14}


def test_deal_neglected_ignores_planned_cancelled_and_deleted_exchanges(people):
    deal = DealFactory(owner=people.a, created_at=LONG_AGO)
    for state in ("planned", "cancelled"):
        exchange(NOW - timedelta(days=1), deals=[deal], state=state, created_by=people.a)
    exchange(NOW - timedelta(days=1), deals=[deal], deleted_at=NOW, created_by=people.a)

    assert set(found("deal_neglected")) == {("deal", deal.id)}
    assert found("deal_neglected")[("deal", deal.id)].facts["since"] == "2026-02-08T10:00:00Z"


def test_a_private_exchange_counts_only_for_an_owner_who_may_know_of_it(people):
    theirs = DealFactory(owner=people.a, created_at=LONG_AGO)
    shared = DealFactory(owner=people.a, created_at=LONG_AGO)
    client = CompanyFactory(owner=people.a, status="client", created_at=LONG_AGO)
    exchange(NOW - timedelta(days=2), deals=[theirs], private=True, created_by=people.b,
             subject="Négociation confidentielle", company=client)
    with_owner = exchange(NOW - timedelta(days=2), deals=[shared], private=True,
                          created_by=people.b)
    db.session.execute(exchange_participants.insert().values(exchange_id=with_owner.id,
                                                             user_id=people.a.id))
    db.session.commit()

    # Clearing the alert would tell people.a of an exchange they may not see.
    assert set(found("deal_neglected")) == {("deal", theirs.id)}
    assert found("deal_neglected")[("deal", theirs.id)].facts["since"] == "2026-02-08T10:00:00Z"
    assert ("company", client.id) in found("client_neglected")


def test_a_new_deal_is_not_neglected_by_old_exchanges_nor_closed_deals(people):
    fresh = DealFactory(owner=people.a, created_at=NOW - timedelta(days=3))
    exchange(NOW - timedelta(days=90), deals=[fresh], created_by=people.a)
    for stage in ("won", "lost"):
        DealFactory(owner=people.a, stage=stage, created_at=LONG_AGO)

    assert found("deal_neglected") == {}


def test_deal_neglected_days_per_stage_from_the_admin(people):
    hot = DealFactory(owner=people.a, stage="negotiation", created_at=NOW - timedelta(days=8))
    cold = DealFactory(owner=people.a, stage="prospecting", created_at=NOW - timedelta(days=8))
    assert found("deal_neglected") == {}

    params = RULES["deal_neglected"].check({"days": {"negotiation": 7}})
    db.session.add(AlertRule(key="deal_neglected", enabled=True, params=params))
    db.session.commit()

    assert set(found("deal_neglected")) == {("deal", hot.id)}
    assert cold.id not in {rid for _, rid in found("deal_neglected")}


# -- deal_overdue ------------------------------------------------------------------------------

def test_deal_overdue_after_its_expected_close_day_in_france(people):
    today = date(2027, 3, 15)
    due_today = DealFactory(owner=people.a, expected_close_date=today)
    due_yesterday = DealFactory(owner=people.b, expected_close_date=today - timedelta(days=1))
    DealFactory(owner=people.a, stage="won", expected_close_date=today - timedelta(days=30))
    DealFactory(owner=people.a, expected_close_date=None)

    found_now = found("deal_overdue")
    assert set(found_now) == {("deal", due_yesterday.id)}
    assert found_now[("deal", due_yesterday.id)].user_id == people.b.id
    assert found_now[("deal", due_yesterday.id)].facts["date"] == "2027-03-14"
    # 23:30 UTC on the 15th is already the 16th in Paris: yesterday's close day has passed.
    late_evening = datetime(2027, 3, 15, 23, 30, tzinfo=UTC)
    assert ("deal", due_today.id) in found("deal_overdue", late_evening)


# -- task_overdue ------------------------------------------------------------------------------

def test_task_overdue_for_its_assignee_once_due(people):
    due = task(people, due_at=NOW)
    task(people, due_at=NOW - timedelta(days=3), state="done")
    task(people, due_at=NOW - timedelta(days=3), state="cancelled")
    task(people, due_at=None)

    assert found("task_overdue") == {}
    (match,) = found("task_overdue", NOW + SECOND).values()
    assert (match.record_type, match.record_id, match.user_id) == ("task", due.id, people.a.id)
    assert match.facts == {"title": "Rappeler pour le devis", "due_at": "2027-03-15T10:00:00Z"}


# -- client_neglected --------------------------------------------------------------------------

def test_client_neglected_after_three_months_counting_contacts_and_deals(people):
    by_contact = CompanyFactory(owner=people.a, status="client", created_at=LONG_AGO)
    contact = ContactFactory()
    CompanyContactFactory(company=by_contact, contact=contact)
    by_deal = CompanyFactory(owner=people.b, status="client", created_at=LONG_AGO)
    deal = DealFactory(company=by_deal, created_at=LONG_AGO)
    limit = months_before(NOW, 3)
    assert limit == datetime(2026, 12, 15, 10, tzinfo=UTC)
    exchange(limit, contact=contact, created_by=people.a)
    exchange(limit, deals=[deal], created_by=people.a)

    assert found("client_neglected") == {}
    later = found("client_neglected", NOW + SECOND)
    assert set(later) == {("company", by_contact.id), ("company", by_deal.id)}
    assert later[("company", by_deal.id)].user_id == people.b.id
    assert later[("company", by_deal.id)].facts["since"] == "2026-12-15T10:00:00Z"


def test_only_clients_can_be_neglected_and_months_come_from_the_admin(people):
    client = CompanyFactory(owner=people.a, status="client", created_at=LONG_AGO)
    CompanyFactory(owner=people.a, status="suspect", created_at=LONG_AGO)
    exchange(NOW - timedelta(days=40), company=client, created_by=people.a)
    assert found("client_neglected") == {}

    db.session.add(AlertRule(key="client_neglected", enabled=True, params={"months": 1}))
    db.session.commit()

    assert set(found("client_neglected")) == {("company", client.id)}


def test_months_before_keeps_the_day_or_takes_the_month_end():
    assert months_before(datetime(2027, 5, 31, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2027, 1, 10, tzinfo=UTC), 2) == datetime(2026, 11, 10,
                                                                           tzinfo=UTC)


# -- record_unowned ----------------------------------------------------------------------------

def test_record_unowned_finds_live_companies_and_contacts_without_owner(people):
    company = CompanyFactory(owner=None, name="Sans Maître")
    contact = ContactFactory(owner=None, first_name="Hélène", last_name="Orpheline")
    CompanyFactory(owner=people.a)
    CompanyFactory(owner=None, deleted_at=NOW)
    db.session.commit()

    matches = found("record_unowned")
    assert set(matches) == {("company", company.id), ("contact", contact.id)}
    assert all(m.user_id is None for m in matches.values())
    assert matches[("contact", contact.id)].facts == {"title": "Hélène Orpheline"}


# -- prospect_untouched ------------------------------------------------------------------------

def test_prospect_untouched_after_48_hours_without_any_exchange(people):
    waiting = CompanyFactory(owner=people.a, status="prospect",
                             created_at=NOW - timedelta(hours=48))
    planned = CompanyFactory(owner=people.a, status="prospect", created_at=LONG_AGO)
    exchange(NOW + timedelta(days=2), company=planned, state="planned", created_by=people.a)

    assert found("prospect_untouched") == {}
    (match,) = found("prospect_untouched", NOW + SECOND).values()
    assert (match.record_id, match.user_id) == (waiting.id, people.a.id)
    assert match.facts["limit_hours"] == 48


# -- settings ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "params", "field"), [
    ("deal_neglected", {"days": {"won": 3}}, "params.days.won"),
    ("deal_neglected", {"days": {"proposal": 0}}, "params.days.proposal"),
    ("deal_neglected", {"days": {"proposal": "7"}}, "params.days.proposal"),
    ("deal_neglected", {"days": 7}, "params.days"),
    ("client_neglected", {"months": 37}, "params.months"),
    ("client_neglected", {"months": True}, "params.months"),
    ("prospect_untouched", {"weeks": 2}, "params.weeks"),
    ("deal_overdue", {"days": 1}, "params.days"),
])
def test_bad_params_are_refused_field_by_field(key, params, field):
    with pytest.raises(Invalid) as caught:
        RULES[key].check(params)
    assert set(caught.value.fields) == {field}


def test_params_are_completed_with_the_defaults():
    assert RULES["deal_neglected"].check({"days": {"proposal": 30}})["days"] == {
        "prospecting": 14, "qualification": 14, "proposal": 30, "negotiation": 14}


def test_a_disabled_rule_finds_nothing_in_a_sweep(people):
    CompanyFactory(owner=None)
    db.session.add(AlertRule(key="record_unowned", enabled=False, params={}))
    db.session.commit()

    assert sweep(db.session, NOW, rules=["record_unowned"]).opened == []
