from datetime import date

import pytest

from services.registration.domain.names import (
    FAMILY_NAME_THRESHOLD,
    GIVEN_NAME_THRESHOLD,
    PersonKey,
    fold_name,
    is_likely_duplicate,
    name_similarity,
)

BIRTH = date(1990, 4, 17)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Élodie-Marie  O'Neil", "elodie marie o neil"),
        ("  ÇA VA  ", "ca va"),
        ("Jean\u2013Baptiste St. Exupéry", "jean baptiste st exupery"),
        ("D\u2019Artagnan", "d artagnan"),
        ("Nguy\u1ec5n", "nguyen"),
        ("Anaïs--Zoé", "anais zoe"),
        ("", ""),
    ],
)
def test_fold_name(raw, folded):
    assert fold_name(raw) == folded


def test_similarity_known_jaro_winkler_values():
    # Reference values from Winkler's papers, to check the implementation.
    assert name_similarity("Martha", "Marhta") == pytest.approx(0.961, abs=1e-3)
    assert name_similarity("Dwayne", "Duane") == pytest.approx(0.840, abs=1e-3)
    assert name_similarity("Dixon", "Dicksonx") == pytest.approx(0.813, abs=1e-3)


def test_similarity_bounds_and_symmetry():
    assert name_similarity("Dupont", "Dupont") == 1.0
    assert name_similarity("Abc", "Xyz") == 0.0
    assert name_similarity("Dupont", "Dupond") == pytest.approx(name_similarity("Dupond", "Dupont"))


def test_similarity_ignores_accents_case_and_separators():
    assert name_similarity("Hélène Lefèvre", "HELENE LEFEVRE") == 1.0
    assert name_similarity("Le-Goff", "Le Goff") == 1.0
    assert name_similarity("O'Neil", "O Neil") == 1.0


def test_similarity_tolerates_word_order():
    assert name_similarity("Marie Anne", "Anne Marie") == 1.0
    assert name_similarity("Garcia Lopez", "Lopez Garçia") == 1.0


def test_empty_names_never_look_alike():
    assert name_similarity("", "") == 0.0
    assert name_similarity("Dupont", "  - ") == 0.0


def person(last, first, birth=BIRTH, usage=None):
    return PersonKey(last_name=last, first_names=first, birth_date=birth, usage_name=usage)


def test_identical_people_are_duplicates():
    assert is_likely_duplicate(person("Martin", "Sophie"), person("Martin", "Sophie"))


def test_accents_and_hyphens_do_not_hide_a_duplicate():
    assert is_likely_duplicate(
        person("Lefèvre-Dubois", "Élodie Marie"), person("LEFEVRE DUBOIS", "Elodie, Marie")
    )


def test_a_typo_in_the_family_name_is_a_duplicate():
    assert name_similarity("Dupont", "Dupond") >= FAMILY_NAME_THRESHOLD
    assert is_likely_duplicate(person("Dupont", "Jean"), person("Dupond", "Jean"))


def test_a_typo_in_the_given_name_is_a_duplicate():
    assert name_similarity("Mohamed", "Mohammed") >= GIVEN_NAME_THRESHOLD
    assert is_likely_duplicate(person("Benali", "Mohamed"), person("Benali", "Mohammed"))


def test_only_the_first_given_name_counts():
    assert is_likely_duplicate(person("Petit", "Anne Sophie"), person("Petit", "Anne"))
    assert not is_likely_duplicate(person("Petit", "Marie Anne"), person("Petit", "Anne Marie"))


def test_given_names_as_a_tuple():
    assert is_likely_duplicate(person("Petit", ("Anne", "Sophie")), person("Petit", "Anne Marie"))
    assert is_likely_duplicate(person("Roux", ("Jean-Pierre",)), person("Roux", ("Jean Pierre",)))
    assert not is_likely_duplicate(person("Petit", ("Marie", "Anne")), person("Petit", ("Anne",)))
    assert not is_likely_duplicate(person("Petit", ()), person("Petit", ()))


def test_hyphenated_given_name_stays_one_name():
    assert is_likely_duplicate(person("Roux", "Jean-Pierre Louis"), person("Roux", "Jean Pierre"))
    assert not is_likely_duplicate(person("Roux", "Jean-Pierre"), person("Roux", "Pierre"))


@pytest.mark.parametrize(
    ("candidate", "existing"),
    [
        (person("Martin", "Sophie", usage="Durand"), person("Durand", "Sophie")),
        (person("Durand", "Sophie"), person("Martin", "Sophie", usage="Durand")),
        (person("Martin", "Sophie", usage="Durand"), person("Bernard", "Sophie", usage="Durant")),
    ],
    ids=["candidate-usage-name", "existing-usage-name", "both-usage-names"],
)
def test_usage_name_matches_either_way(candidate, existing):
    assert is_likely_duplicate(candidate, existing)


def test_different_birth_date_is_not_a_duplicate():
    assert not is_likely_duplicate(
        person("Martin", "Sophie"), person("Martin", "Sophie", birth=date(1990, 4, 18))
    )


@pytest.mark.parametrize(
    ("candidate", "existing"),
    [
        (person("Martin", "Sophie"), person("Bernard", "Sophie")),
        (person("Durand", "Sophie"), person("Dupont", "Sophie")),
        (person("Martin", "Sophie"), person("Martin", "Thomas")),
        (person("Martin", "Louis"), person("Martin", "Lucie")),
        (person("Martin", "Sophie"), person("", "Sophie")),
    ],
    ids=["family-name", "close-family-name", "given-name", "close-given-name", "empty-family-name"],
)
def test_clearly_different_names_are_not_duplicates(candidate, existing):
    assert not is_likely_duplicate(candidate, existing)
