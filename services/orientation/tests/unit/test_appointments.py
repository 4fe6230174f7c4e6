"""Reminders 48 h and 2 h before, each once; the delay from registration; booking refusals."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.orientation.domain.appointments import (
    already_booked, booking_refusal, delay_days, reminder_due, within_target,
)

START = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("before, sent, expected", [
    (timedelta(hours=72), frozenset(), None),
    (timedelta(hours=48), frozenset(), "48h"),
    (timedelta(hours=30), frozenset(), "48h"),
    (timedelta(hours=30), frozenset({"48h"}), None),
    (timedelta(hours=2), frozenset({"48h"}), "2h"),
    (timedelta(hours=1), frozenset(), "2h"),  # booked late: only the nearest reminder
    (timedelta(hours=1), frozenset({"48h", "2h"}), None),
    (timedelta(0), frozenset(), None),  # started: too late to remind
])
def test_reminder_due(before, sent, expected):
    assert reminder_due(START, START - before, sent) == expected


def test_delay_counts_calendar_days_in_france():
    registered = datetime(2026, 11, 20, 8, 55, tzinfo=timezone.utc)
    assert delay_days(registered, START) == 7
    # 23:30 UTC on the 26th is already the 27th in Paris.
    assert delay_days(registered, datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc)) == 7
    assert within_target(15) and not within_target(16)


def test_booking_refusals():
    now = START - timedelta(days=1)
    assert booking_refusal("ft-a", START, "ft-a", now) is None
    assert "another organisation" in booking_refusal("ml-b", START, "ft-a", now)
    assert "already started" in booking_refusal("ft-a", START, "ft-a", START)


def test_a_second_first_appointment_is_refused_in_paris_time():
    assert "on 01/12/2026 at 10:30 (Paris time)" in already_booked(datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc))
