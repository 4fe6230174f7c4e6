"""SIRET: the 14-digit establishment number (SIREN of the company + NIC of the establishment).

Its last digit is a Luhn check digit over the 14 digits, with one exception: La Poste (SIREN
356 000 000) has more establishments than a Luhn NIC can number, so INSEE checks its SIRETs by
another rule, the sum of the digits being a multiple of 5. The head office (356 000 000 00048)
was numbered before and keeps a Luhn-valid SIRET.
"""
from __future__ import annotations

import re

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"
_SEPARATORS = re.compile(r"[\s.\-]")


def compact(value: str) -> str:
    """"123 456 789 00012" -> "12345678900012": people type SIRETs in groups."""
    return _SEPARATORS.sub("", value)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def is_valid(siret: str) -> bool:
    """True for 14 digits passing the checksum (Luhn, or La Poste's rule). Expects `compact`."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE:
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def with_check_digit(first_13: str) -> str:
    """The SIRET completing 13 digits with their Luhn digit (for generated test data)."""
    for last in "0123456789":
        if luhn_valid(first_13 + last):
            return first_13 + last
    raise AssertionError("unreachable: one digit always completes a Luhn number")
