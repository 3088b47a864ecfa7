"""/api/agenda: my planned exchanges in a period, by start, private ones only for their people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.extensions import db
from app.models import utcnow
from app.services import agenda
from tests.factories import CompanyFactory, ExchangeFactory, assert_error

WEEK = "from=2026-12-01T00:00:00Z&to=2026-12-08T00:00:00Z"


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    assert response.json["next_cursor"] is None
    return [item["id"] for item in response.json["items"]]


def test_my_appointments_in_the_period_by_start(people, alice):
    company = CompanyFactory(name="Dupont SA")
    later = ExchangeFactory(created_by=people.a, state="planned", kind="visit",
                            starts_at=at(3), company=company)
    sooner = ExchangeFactory(created_by=people.b, participants=[people.a], state="planned",
                             starts_at=at(2))
    ExchangeFactory(created_by=people.a, state="done", starts_at=at(2, 10))  # logged, not planned
    ExchangeFactory(created_by=people.a, state="cancelled", starts_at=at(2, 11))
    ExchangeFactory(created_by=people.b, state="planned", starts_at=at(2, 12))  # not mine
    ExchangeFactory(created_by=people.a, state="planned", starts_at=at(8))  # after `to`
    ExchangeFactory(created_by=people.a, state="planned", starts_at=at(1, 0) - timedelta(hours=1))
    ExchangeFactory(created_by=people.a, state="planned", starts_at=at(4),
                    deleted_at=utcnow())
    db.session.commit()

    response = alice.get(f"/api/agenda?{WEEK}")

    assert ids(response) == [str(sooner.id), str(later.id)]
    item = response.json["items"][1]
    assert item["kind"] == "visit" and item["company_name"] == "Dupont SA"
    assert item["state"] == "planned" and item["starts_at"] == "2026-12-03T09:00:00Z"


def test_a_private_appointment_shows_to_its_people_only(people, alice, bruno, chloe, make_auth):
    secret = ExchangeFactory(created_by=people.a, participants=[people.b], private=True,
                             state="planned", starts_at=at(2), subject="Zanzibar")
    db.session.commit()

    assert ids(alice.get(f"/api/agenda?{WEEK}")) == [str(secret.id)]
    assert ids(bruno.get(f"/api/agenda?{WEEK}")) == [str(secret.id)]
    for outsider in (chloe, make_auth(people.manager), make_auth(people.admin)):
        response = outsider.get(f"/api/agenda?{WEEK}")
        assert ids(response) == [] and "Zanzibar" not in response.get_data(as_text=True)


def test_by_default_today_and_the_next_six_days_in_my_time_zone(people, alice):
    zone = ZoneInfo("Europe/Paris")
    today = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    early = ExchangeFactory(created_by=people.a, state="planned",
                            starts_at=today + timedelta(minutes=30))  # 00:30 local, 23:30 UTC
    last_day = ExchangeFactory(created_by=people.a, state="planned",
                               starts_at=today + timedelta(days=6, hours=23))
    ExchangeFactory(created_by=people.a, state="planned",
                    starts_at=today - timedelta(minutes=30))  # yesterday
    ExchangeFactory(created_by=people.a, state="planned",
                    starts_at=today + timedelta(days=7, minutes=1))
    db.session.commit()

    assert ids(alice.get("/api/agenda")) == [str(early.id), str(last_day.id)]


def test_the_default_window_follows_the_users_zone(people):
    now = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # already the 2nd in Paris
    people.a.timezone = "America/New_York"

    start, end = agenda.window(people.a, None, None, now)

    assert start == datetime(2026, 12, 1, 5, tzinfo=UTC)  # midnight in New York
    assert end - start == timedelta(days=7)
    people.a.timezone = "Europe/Paris"
    assert agenda.window(people.a, None, None, now)[0] == datetime(2026, 12, 1, 23, tzinfo=UTC)


def test_a_period_too_long_or_backwards_is_422(alice):
    too_long = alice.get("/api/agenda?from=2026-12-01T00:00:00Z&to=2027-02-02T00:00:01Z")
    backwards = alice.get("/api/agenda?from=2026-12-08T00:00:00Z&to=2026-12-01T00:00:00Z")
    garbage = alice.get("/api/agenda?from=demain")

    assert set(assert_error(too_long, 422, "validation_error")["fields"]) == {"to"}
    assert set(assert_error(backwards, 422, "validation_error")["fields"]) == {"to"}
    assert set(assert_error(garbage, 422, "validation_error")["fields"]) == {"from"}
    french = alice.get("/api/agenda?from=2026-12-01T00:00:00Z&to=2027-03-01T00:00:00Z",
                       headers={"Accept-Language": "fr"})
    assert assert_error(french, 422)["fields"] == {"to": ["Au plus 62 jours après le début."]}
    assert alice.get("/api/agenda?from=2026-12-01T00:00:00Z&to=2027-02-01T00:00:00Z"
                     ).status_code == 200  # exactly 62 days


def test_the_agenda_needs_a_login(client):
    assert_error(client.get("/api/agenda"), 401)
