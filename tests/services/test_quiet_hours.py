"""Quiet hours: when a push is held, and until when, in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from app.models import NotificationPreference
from app.services.push import quiet_until


def prefs(start: str, end: str, zone: str = "Europe/Paris") -> NotificationPreference:
    return NotificationPreference(quiet_start=time.fromisoformat(start),
                                  quiet_end=time.fromisoformat(end), timezone=zone)


@pytest.mark.parametrize(("now", "until"), [
    ("2026-11-24T21:30Z", "2026-11-25T06:00Z"),  # 22:30 Paris: held until 07:00 Paris
    ("2026-11-25T05:59Z", "2026-11-25T06:00Z"),  # 06:59: one more minute
    ("2026-11-25T06:00Z", None),                 # 07:00: the end is not quiet
    ("2026-11-24T20:59Z", None),                 # 21:59: not yet
    ("2026-07-14T21:00Z", "2026-07-15T05:00Z"),  # summer time: 23:00, until 07:00 = 05:00Z
])
def test_overnight_quiet_hours(now, until):
    result = quiet_until(prefs("22:00", "07:00"), datetime.fromisoformat(now))

    assert result == (None if until is None else datetime.fromisoformat(until))


def test_daytime_quiet_hours_in_another_zone():
    lunch = prefs("12:00", "14:00", "America/Montreal")

    assert quiet_until(lunch, datetime(2026, 11, 24, 17, 30, tzinfo=UTC)) == datetime(
        2026, 11, 24, 19, 0, tzinfo=UTC)
    assert quiet_until(lunch, datetime(2026, 11, 24, 19, 0, tzinfo=UTC)) is None


def test_no_quiet_hours_never_holds():
    assert quiet_until(NotificationPreference(timezone="UTC"), datetime.now(UTC)) is None


def test_the_night_clocks_go_back_the_end_is_never_in_the_past():
    # 2026-10-25, Paris: 03:00 summer time becomes 02:00 winter time; 02:10 happens twice.
    night = prefs("01:00", "02:30")
    second_0210 = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)  # 02:10 winter time

    result = quiet_until(night, second_0210)

    assert result == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 winter time
    assert result > second_0210
