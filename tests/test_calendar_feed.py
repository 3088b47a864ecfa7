"""The iCalendar feed: a secret URL per user, read by calendar apps without a session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from app.extensions import db
from app.models import utcnow
from app.services import ical
from tests.factories import CompanyFactory, ContactFactory, DealFactory, ExchangeFactory

LONG = ("Présentation de la nouvelle gamme « Été 2027 » à l'équipe des achats, révision des "
        "conditions générales, échéancier de livraison et remise exceptionnelle négociée — "
        "prévoir les échantillons, le catalogue imprimé et la grille tarifaire à jour.")


def feed_url(auth) -> str:
    response = auth.get("/api/calendar-feed")
    assert response.status_code == 200, response.get_json()
    return response.json["url"]


def base(app) -> str:
    """Where links lead: TOURNEE_BASE_URL, else the request's host."""
    return app.config.get("BASE_URL") or "http://localhost"


def path_of(url: str) -> str:
    return url[url.index("/calendar/"):]


def fetch(client, url: str):
    return client.get(path_of(url))


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def soon(days: float = 1, hour: int = 9) -> datetime:
    moment = utcnow() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_the_feed_url_is_made_once_and_kept(app, people, alice, bruno):
    first = feed_url(alice)

    assert first.startswith(f"{base(app)}/calendar/") and first.endswith(".ics")
    assert feed_url(alice) == first
    assert feed_url(bruno) != first
    assert len(path_of(first).removeprefix("/calendar/").removesuffix(".ics")) >= 43


def test_the_feed_lists_my_appointments_as_icalendar(app, client, people, alice):
    app.config["BASE_URL"] = "https://crm.example.fr"
    company = CompanyFactory(name="Dupont SA", street="12, rue de la Paix", postal_code="69002",
                             city="Lyon", country="FR")
    contact = ContactFactory(first_name="Hélène", last_name="Martin")
    deal = DealFactory(name="Four à sole", company=company)
    visit = ExchangeFactory(created_by=people.a, participants=[people.b], state="planned",
                            kind="visit", subject="Présentation", company=company,
                            contact=contact, deals=[deal], starts_at=soon(2),
                            ends_at=soon(2) + timedelta(minutes=90), details="Apporter\nle devis")
    call = ExchangeFactory(created_by=people.b, participants=[people.a], state="done",
                           starts_at=soon(-3), subject=None)
    db.session.commit()

    response = fetch(client, feed_url(alice))

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert b"\r\n" in response.data and b"\n" not in response.data.replace(b"\r\n", b"")
    got = events(response)
    assert set(got) == {f"{visit.id}@tournee", f"{call.id}@tournee"}
    event = got[f"{visit.id}@tournee"]
    assert event.decoded("DTSTART") == soon(2)
    assert event.decoded("DTEND") == soon(2) + timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Visite — Présentation — Dupont SA"
    assert str(event["LOCATION"]) == "12, rue de la Paix, 69002 Lyon, FR"
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == visit.version
    description = str(event["DESCRIPTION"])
    assert description.startswith("Apporter\nle devis\nContact : Hélène Martin\n")
    assert "Affaires : Four à sole" in description and "Participants : Bruno Sales" in description
    assert description.endswith(f"https://crm.example.fr/#/deals/{deal.id}")
    assert str(event["URL"]) == f"https://crm.example.fr/#/deals/{deal.id}"
    other = got[f"{call.id}@tournee"]
    assert other.decoded("DTEND") - other.decoded("DTSTART") == timedelta(hours=1)
    assert str(other["SUMMARY"]) == "Appel"


def test_texts_follow_the_users_language(app, client, people, alice):
    people.a.locale = "en"
    company = CompanyFactory(name="Dupont SA")
    ExchangeFactory(created_by=people.a, state="planned", kind="visit", subject="Demo",
                    company=company, starts_at=soon(1), contact=ContactFactory(
                        first_name="Ann", last_name="Lee"))
    db.session.commit()

    (event,) = events(fetch(client, feed_url(alice))).values()

    assert str(event["SUMMARY"]) == "Visit — Demo — Dupont SA"
    assert str(event["DESCRIPTION"]).startswith(
        f"Contact: Ann Lee\nOpen in Tournée: {base(app)}/#/contacts/")


def test_odd_characters_are_escaped_and_long_lines_folded(client, people, alice):
    odd = 'Devis; remise, "spéciale" \\ 10 %\nsuite'
    ExchangeFactory(created_by=people.a, state="planned", subject=odd, details=LONG,
                    starts_at=soon(1), company=CompanyFactory(name="Dupont; Fils, & Cie"))
    db.session.commit()

    response = fetch(client, feed_url(alice))

    (event,) = events(response).values()
    assert str(event["SUMMARY"]) == f"Appel — {odd} — Dupont; Fils, & Cie"
    assert str(event["DESCRIPTION"]).startswith(LONG + "\n")
    lines = response.data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folded, and still valid UTF-8:
    assert all(line.decode() for line in lines if line)
    assert b"Devis\\; remise\\, \"sp" in response.data


def test_only_what_i_may_see_and_take_part_in(client, people, alice, chloe):
    mine = ExchangeFactory(created_by=people.a, state="planned", starts_at=soon(1))
    secret = ExchangeFactory(created_by=people.b, participants=[people.a], private=True,
                             state="planned", starts_at=soon(1, 10), subject="Zanzibar")
    ExchangeFactory(created_by=people.b, private=True, state="planned", starts_at=soon(1, 11),
                    subject="Zanzibar sans Alice")
    ExchangeFactory(created_by=people.b, state="planned", starts_at=soon(1, 12))  # not hers
    ExchangeFactory(created_by=people.a, state="planned", starts_at=soon(1, 13),
                    deleted_at=utcnow())
    ExchangeFactory(created_by=people.a, state="done", starts_at=soon(-31))  # too old
    ExchangeFactory(created_by=people.a, state="planned", starts_at=soon(366))  # too far
    db.session.commit()

    alice_feed = fetch(client, feed_url(alice))
    chloe_feed = fetch(client, feed_url(chloe))

    assert set(events(alice_feed)) == {f"{mine.id}@tournee", f"{secret.id}@tournee"}
    assert b"Zanzibar sans Alice" not in alice_feed.data
    assert events(chloe_feed) == {} and b"Zanzibar" not in chloe_feed.data


def test_a_cancelled_appointment_says_so(client, people, alice):
    cancelled = ExchangeFactory(created_by=people.a, state="cancelled", starts_at=soon(1))
    db.session.commit()

    event = events(fetch(client, feed_url(alice)))[f"{cancelled.id}@tournee"]

    assert str(event["STATUS"]) == "CANCELLED"


def test_rotating_stops_the_old_url(client, people, alice):
    old = feed_url(alice)

    response = alice.post("/api/calendar-feed/rotate")

    assert response.status_code == 200
    new = response.json["url"]
    assert new != old and feed_url(alice) == new
    gone = fetch(client, old)
    assert gone.status_code == 404 and gone.mimetype == "text/plain"
    assert fetch(client, new).status_code == 200


def test_unknown_tokens_and_deactivated_users_get_404(client, people, alice):
    url = feed_url(alice)
    people.a.active = False
    db.session.commit()

    assert fetch(client, url).status_code == 404
    for token in ("nope", "x" * 200, "%00", "..%2F..%2Fetc"):
        response = client.get(f"/calendar/{token}.ics")
        assert response.status_code == 404 and b"Tourn" not in response.data


def test_without_a_base_url_links_use_the_requests_host(app, alice):
    app.config["BASE_URL"] = ""

    assert feed_url(alice).startswith("http://localhost/calendar/")


def test_the_feed_api_needs_a_login(client):
    assert client.get("/api/calendar-feed").status_code == 401


@pytest.mark.parametrize("text,expected", [
    ("a,b;c\\d", "a\\,b\\;c\\\\d"), ("l1\r\nl2\rl3\nl4", "l1\\nl2\\nl3\\nl4"),
    ("bell\x07tab\t", "belltab\t")])
def test_escape(text, expected):
    assert ical.escape(text) == expected


def test_fold_never_splits_a_character():
    line = "DESCRIPTION:" + "é" * 100

    folded = ical.fold(line).encode().split(b"\r\n")

    assert all(len(part) <= 75 for part in folded)
    assert all(part.startswith(b" ") for part in folded[1:])
    assert b"".join(p[1:] if i else p for i, p in enumerate(folded)).decode() == line
    assert ical.utc(datetime(2026, 12, 1, 10, tzinfo=UTC)) == "20261201T100000Z"
