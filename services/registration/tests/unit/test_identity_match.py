"""Which registration an identity provider's claims name: equal folded names, equal birth date and
place, exactly one registration."""
from __future__ import annotations

from datetime import date

import pytest

from services.registration.domain.identity_match import (
    AmbiguousIdentityMatch, Candidate, IdentityClaims, NoIdentityMatch, matches, the_one_matching,
)

BORN = date(2001, 3, 14)
CAMILLE = {"last_name": "Martin", "first_names": ["Camille"], "birth_date": "2001-03-14",
           "birth_place": {"commune_code": "49007", "country_code": "FR"}}


def claims(**changes) -> IdentityClaims:
    values = {"family_name": "MARTIN", "given_names": ("Camille", "Anne"), "birth_date": BORN,
              "birth_country": "99100", "birth_place": "49007", **changes}
    return IdentityClaims(**values)


@pytest.mark.parametrize("changes", [
    {},
    {"family_name": "martin", "given_names": ("CAMILLE",)},
    {"birth_place": None},  # a provider may not give the commune
])
def test_the_registered_person_is_recognised(changes):
    assert matches(claims(**changes), CAMILLE)


def test_names_are_folded_as_the_registration_domain_folds_them():
    registered = {**CAMILLE, "last_name": "Lefèvre-Dupont", "first_names": ["Jean-Pierre"]}
    assert matches(claims(family_name="LEFEVRE DUPONT", given_names=("Jean Pierre", "Marie")), registered)
    assert matches(claims(family_name="Lefevre\u2019Dupont", given_names=("jean-pierre",)), registered)


@pytest.mark.parametrize("changes", [
    {"family_name": "Martins"},  # a near name is another person here, unlike duplicate detection
    {"family_name": "Martin Dupont"},
    {"given_names": ("Camilla",)},
    {"given_names": ("Anne", "Camille")},  # civil status order counts
    {"birth_date": date(2001, 3, 15)},
    {"birth_place": "49099"},
    {"birth_place": None, "birth_country": "99351"},  # born abroad, registered as born in France
])
def test_anything_that_differs_is_not_a_match(changes):
    assert not matches(claims(**changes), CAMILLE)


def test_registered_given_names_must_all_be_claimed():
    assert not matches(claims(given_names=("Camille",)), {**CAMILLE, "first_names": ["Camille", "Anne"]})


def test_a_registration_without_a_commune_cannot_confirm_one_claimed():
    abroad = {**CAMILLE, "birth_place": {"country_code": "MA", "city": "Rabat"}}
    assert matches(claims(birth_place=None, birth_country="99350"), abroad)
    assert not matches(claims(birth_place=None), abroad)  # claimed born in France
    assert not matches(claims(), {**CAMILLE, "birth_place": {}})


def test_an_empty_name_never_matches():
    assert not matches(claims(family_name=" - "), {**CAMILLE, "last_name": "-"})


def test_exactly_one_registration_answers():
    others = [Candidate("other", {**CAMILLE, "first_names": ["Lucie"]}), Candidate("camille", CAMILLE)]
    assert the_one_matching(claims(), others) == "camille"
    with pytest.raises(NoIdentityMatch):
        the_one_matching(claims(), others[:1])
    with pytest.raises(AmbiguousIdentityMatch):
        the_one_matching(claims(), [*others, Candidate("twin-file", CAMILLE)])
