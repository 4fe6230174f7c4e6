"""The policy table, cell by cell: every organisation type, every section, read and write, relative to the person."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from services.core.errors import Forbidden
from services.core.identity import ORG_TYPES
from services.core.person_policy import PersonFacts, Relation
from services.dossier.domain.policy import PURPOSES, Grants, Purpose

SECTIONS = ("identity", "rsa_status", "orientation", "appointments", "diagnostic", "contract", "reviews", "history",
            "access_log")
EVERYTHING = set(SECTIONS)
NOTHING: set[str] = set()


@dataclass(frozen=True)
class Org:
    org_type: str
    org_id: str = "some-org"
    territories: tuple[str, ...] = ("44",)


TODAY = date(2026, 6, 1)


def person(*, rsa=True, departement="44", referent=None, target=None, born=None) -> PersonFacts:
    return PersonFacts(departement, born, rsa, False, referent_org_id=referent, target_org_id=target)


ML = "ml-nantes-metropole"
OPERATOR_READS = EVERYTHING
REFERENT_WRITES = {"diagnostic", "contract", "reviews"}
DEPARTEMENT_READS = {"identity", "rsa_status", "orientation", "appointments", "contract", "reviews", "history"}
TARGET_READS = {"identity", "rsa_status", "orientation", "appointments", "diagnostic"}

# (caller, person) → (sections read, sections written, sees health). Written out, not derived from POLICY.
CASES = {
    "france travail, not referent": (Org("france_travail", "ft-agence-44-nantes-est"), person(referent=ML),
                                     OPERATOR_READS, {"diagnostic", "contract"}, False),
    "france travail elsewhere still reads": (Org("france_travail", "ft-75", ("75",)), person(referent=ML),
                                             OPERATOR_READS, {"diagnostic", "contract"}, False),
    "france travail as referent": (Org("france_travail", "ft-agence-44-nantes-est"),
                                   person(referent="ft-agence-44-nantes-est"), EVERYTHING, REFERENT_WRITES, True),
    "referent mission locale": (Org("mission_locale", ML), person(referent=ML), EVERYTHING, REFERENT_WRITES, True),
    "another mission locale": (Org("mission_locale", "ml-saint-nazaire"), person(referent=ML),
                               NOTHING, NOTHING, False),
    "mission locale, counter for an under-26 of its territory": (Org("mission_locale", "ml-saint-nazaire"),
                                                                 person(referent=ML, born=date(2004, 1, 1)),
                                                                 {"identity"}, NOTHING, False),
    "target of a proposal": (Org("mission_locale", ML), person(target=ML), TARGET_READS, NOTHING, False),
    "referent cap emploi": (Org("cap_emploi", "cap-44"), person(referent="cap-44"), EVERYTHING, REFERENT_WRITES, True),
    "département, RSA recipient": (Org("departement", "departement-44"), person(referent=ML),
                                   DEPARTEMENT_READS, NOTHING, False),
    "département, not RSA": (Org("departement", "departement-44"), person(rsa=False, referent=ML),
                             NOTHING, NOTHING, False),
    "département, other territory": (Org("departement", "departement-49", ("49",)), person(referent=ML),
                                     NOTHING, NOTHING, False),
    "département as referent": (Org("departement", "departement-44"), person(referent="departement-44"),
                                EVERYTHING, REFERENT_WRITES, True),
    "caf, RSA recipient": (Org("caf", "caf-44"), person(referent=ML), {"rsa_status"}, NOTHING, False),
    "caf, not RSA": (Org("caf", "caf-44"), person(rsa=False, referent=ML), NOTHING, NOTHING, False),
    "caf, other territory": (Org("caf", "caf-49", ("49",)), person(referent=ML), NOTHING, NOTHING, False),
    "caf named as referent gains nothing more": (Org("caf", "caf-44"), person(referent="caf-44"),
                                                 {"rsa_status"}, NOTHING, False),
    "temp agency named as referent": (Org("temp_agency", "interim-ouest"), person(referent="interim-ouest"),
                                      NOTHING, NOTHING, False),
    "employer named as target": (Org("employer", "acme"), person(target="acme"), NOTHING, NOTHING, False),
    "région": (Org("region", "region-52"), person(referent=ML), NOTHING, NOTHING, False),
    "opco": (Org("opco", "opco-ep"), person(referent=ML), NOTHING, NOTHING, False),
}


@pytest.mark.parametrize("name", CASES)
def test_each_section_read_and_write_as_the_table_says(name):
    caller, who, reads, writes, health = CASES[name]
    grants = Grants.of(caller, who, TODAY)
    assert {s for s in SECTIONS if grants.may_read(s)} == reads
    assert {s for s in SECTIONS if grants.may_write(s)} == writes
    assert grants.sees_health is health
    assert grants.knows_person is bool(reads)


@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_every_organisation_type_that_is_nobody_to_the_person_knows_nothing(org_type):
    grants = Grants.of(Org(org_type, "stranger", ("75",)), person(departement="44", referent=ML), TODAY)
    expected = OPERATOR_READS if org_type == "france_travail" else NOTHING
    assert {s for s in SECTIONS if grants.may_read(s)} == expected
    assert not grants.sees_health


@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_only_accompanying_organisations_can_be_referents(org_type):
    grants = Grants.of(Org(org_type, "org-1"), person(rsa=False, referent="org-1"), TODAY)
    accompanying = {"france_travail", "mission_locale", "cap_emploi", "apec", "partner", "departement"}
    assert grants.sees_health is (org_type in accompanying)
    assert grants.may_write("reviews") is (org_type in accompanying)


def test_a_person_oriented_to_nobody_yet_is_known_to_france_travail_only():
    unknown = person(referent=None, target=None, rsa=False)
    assert Grants.of(Org("france_travail"), unknown, TODAY).knows_person
    assert not Grants.of(Org("mission_locale", ML), unknown, TODAY).knows_person


def grants(*relations: Relation) -> Grants:
    return Grants(frozenset(relations))


# Each purpose → the relations that justify it. Written out, not derived from PURPOSES.
JUSTIFIED = {
    "accompaniment": {Relation.REFERENT, Relation.OPERATOR},
    "orientation": {Relation.ORIENTATION_TARGET, Relation.REFERENT, Relation.OPERATOR, Relation.RSA_DEPARTEMENT,
                    Relation.COUNTER},
    "rsa_entitlement": {Relation.RSA_DEPARTEMENT, Relation.RSA_CAF},
    "control": {Relation.OPERATOR, Relation.RSA_DEPARTEMENT},
}


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("relation", list(Relation))
def test_a_purpose_is_allowed_to_the_relations_that_justify_it_only(purpose, relation):
    if relation in JUSTIFIED[purpose]:
        assert grants(relation).for_purpose(purpose) == grants(relation)
    else:
        with pytest.raises(Forbidden) as refused:
            grants(relation).for_purpose(purpose)
        assert refused.value.field == "purpose"


def test_every_purpose_has_its_row():
    assert set(PURPOSES) == set(Purpose)


def test_a_read_shows_what_the_relations_justifying_its_purpose_grant():
    """A département that is also the referent, reading for the RSA entitlement, sees no diagnostic."""
    both = grants(Relation.REFERENT, Relation.RSA_DEPARTEMENT)
    assert both.may_read("diagnostic") and both.sees_health
    for_rsa = both.for_purpose("rsa_entitlement")
    assert not for_rsa.may_read("diagnostic") and not for_rsa.sees_health and for_rsa.may_read("contract")
