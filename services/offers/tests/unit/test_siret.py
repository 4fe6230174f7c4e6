from __future__ import annotations

import pytest

from services.offers.domain import siret


@pytest.mark.parametrize("value", [
    "73282932000074",  # an ordinary Luhn-valid SIRET
    "62819482100011",
    "35600000000048",  # La Poste's head office: Luhn
    "35600000049837",  # a La Poste establishment: digits sum to 45, a multiple of 5 (not Luhn-valid)
])
def test_valid(value):
    assert siret.is_valid(value)


@pytest.mark.parametrize("value", [
    "73282932000075",  # last digit wrong
    "35600000049838",  # La Poste: sum 46
    "7328293200007",  # 13 digits
    "7328293200007A",
    "",
])
def test_invalid(value):
    assert not siret.is_valid(value)


def test_la_poste_establishments_are_not_checked_with_luhn():
    assert not siret.luhn_valid("35600000049837")


def test_compact_removes_the_groups_people_type():
    assert siret.compact("732 829 320 00074") == "73282932000074"
    assert siret.compact("732.829.320-00074") == "73282932000074"


def test_with_check_digit_completes_a_luhn_number():
    assert siret.with_check_digit("7328293200007") == "73282932000074"
