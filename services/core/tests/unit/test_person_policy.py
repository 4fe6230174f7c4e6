"""The one visibility rule, case by case: who knows which person, and why (services/core/person_policy.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from services.core.identity import ORG_TYPES
from services.core.person_policy import RELATIONS_BY_ORG_TYPE, PersonFacts, Relation, may_know, relations

TODAY = date(2026, 6, 1)
ML = "ml-nantes-metropole"


@dataclass(frozen=True)
class Org:
    org_type: str
    org_id: str = "some-org"
    territories: tuple[str, ...] = ("44",)


def person(*, age=30, rsa=False, executive=False, departement="44", referent=None, target=None) -> PersonFacts:
    return PersonFacts(departement, date(TODAY.year - age, 1, 1), rsa, executive, referent, target)


# (organisation, person) → the relations it holds. Written out, not derived from the table.
CASES = {
    "france travail, anyone anywhere": (Org("france_travail", "ft-75", ("75",)), person(), {Relation.OPERATOR}),
    "mission locale, under 26 of its territory": (Org("mission_locale", ML), person(age=22), {Relation.COUNTER}),
    "mission locale, 26 and over": (Org("mission_locale", ML), person(age=26), set()),
    "mission locale, under 26 elsewhere": (Org("mission_locale", ML), person(age=22, departement="49"), set()),
    "mission locale, referent of a person who moved and turned 30":
        (Org("mission_locale", ML), person(departement="49", referent=ML), {Relation.REFERENT}),
    "mission locale, another one is referent": (Org("mission_locale", "ml-49", ("49",)), person(referent=ML), set()),
    "mission locale, target of a proposal": (Org("mission_locale", ML), person(target=ML), {Relation.ORIENTATION_TARGET}),
    "apec, an executive of its territory": (Org("apec"), person(executive=True), {Relation.COUNTER}),
    "apec, not an executive": (Org("apec"), person(), set()),
    "cap emploi has no counter public": (Org("cap_emploi"), person(age=22, executive=True), set()),
    "cap emploi, referent": (Org("cap_emploi", "cap-44"), person(referent="cap-44"), {Relation.REFERENT}),
    "département, RSA recipient of its territory": (Org("departement"), person(rsa=True), {Relation.RSA_DEPARTEMENT}),
    "département, a resident not on RSA": (Org("departement"), person(), set()),
    "département, RSA recipient elsewhere": (Org("departement"), person(rsa=True, departement="49"), set()),
    "département, referent of a non-RSA person": (Org("departement", "departement-44"),
                                                   person(referent="departement-44"), {Relation.REFERENT}),
    "caf, RSA recipient of its territory": (Org("caf"), person(rsa=True), {Relation.RSA_CAF}),
    "caf, not on RSA": (Org("caf"), person(), set()),
    "caf named as referent gains nothing": (Org("caf", "caf-44"), person(referent="caf-44"), set()),
    "temp agency named as referent gains nothing": (Org("temp_agency", "t"), person(rsa=True, referent="t"), set()),
    "employer": (Org("employer"), person(rsa=True, age=20), set()),
}


@pytest.mark.parametrize("org,facts,expected", CASES.values(), ids=CASES.keys())
def test_relations_held(org, facts, expected):
    assert relations(org, facts, TODAY) == expected
    assert may_know(org, facts, TODAY) is bool(expected)


@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_an_unknown_person_is_known_to_nobody(org_type):
    assert may_know(Org(org_type), None, TODAY) is False


def test_every_organisation_type_has_its_row():
    assert set(RELATIONS_BY_ORG_TYPE) == set(ORG_TYPES)


def test_orientation_names_a_target_until_it_decides_a_referent():
    facts = person()
    assert facts.oriented("proposed", ML) == person(target=ML)
    assert facts.oriented("decided", ML) == person(referent=ML)
    assert facts.oriented("pending_interview", None) == facts
    assert person(referent="old").oriented("decided", ML) == person(referent=ML)
