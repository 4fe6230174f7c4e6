"""Points d'étape: the next review is due 6 months after the signature or the last review."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from services.dossier.domain.reviews import add_months, next_review_due, review_status


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 23), date(2027, 5, 23)),
    (date(2026, 8, 31), date(2027, 2, 28)),
    (date(2027, 8, 31), date(2028, 2, 29)),
    (date(2026, 7, 15), date(2027, 1, 15)),
])
def test_six_months_later_clamps_to_the_end_of_the_month(day, expected):
    assert add_months(day, 6) == expected


def test_nothing_is_due_before_a_signature_or_a_review():
    assert next_review_due(None, []) is None
    assert review_status(None, [], date(2030, 1, 1)) == {"next_review_due": None, "review_overdue": False}


def test_the_latest_of_signature_and_reviews_sets_the_due_date():
    signed = at("2026-11-23T10:00:00")
    assert next_review_due(signed, []) == date(2027, 5, 23)
    assert next_review_due(signed, [at("2027-03-01T09:00:00"), at("2027-01-10T09:00:00")]) == date(2027, 9, 1)
    assert next_review_due(at("2027-06-01T00:00:00"), [at("2027-03-01T09:00:00")]) == date(2027, 12, 1)


def test_overdue_only_after_the_due_date_by_the_clock_given():
    signed = at("2026-11-23T10:00:00")
    reviews = [{"held_at": "2027-02-01T09:00:00+00:00"}]
    assert review_status(signed, reviews, date(2027, 8, 1)) == {"next_review_due": "2027-08-01", "review_overdue": False}
    assert review_status(signed, reviews, date(2027, 8, 2))["review_overdue"] is True
