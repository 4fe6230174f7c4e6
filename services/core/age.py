"""Age rules shared by every service: a person's age on a day, and the under-26 public
(missions locales, the "jeunes" mention of the contract, CEJ)."""
from __future__ import annotations

from datetime import date

YOUNG_PEOPLE_AGE_LIMIT = 26


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def under_26(birth_date: date, day: date) -> bool:
    return age_on(birth_date, day) < YOUNG_PEOPLE_AGE_LIMIT
