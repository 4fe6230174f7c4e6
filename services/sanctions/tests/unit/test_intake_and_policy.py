"""When a lapse opens a case, and who may do what on it (the policy table)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from services.core.person_policy import PersonFacts
from services.sanctions.adapters.scales import shipped_scales
from services.sanctions.domain.case import Source
from services.sanctions.domain.intake import INITIAL_APPOINTMENT, lapses_opening_case
from services.sanctions.domain.policy import Action, Role, may, public_of, roles, sees
from services.sanctions.tests.builders import lapse

SCALES = shipped_scales()


def test_one_missed_initial_appointment_opens_a_case_under_the_current_scale():
    first = lapse(INITIAL_APPOINTMENT, Source.SYSTEM)
    assert lapses_opening_case(first, [], SCALES["current"]) == [first]


def test_the_target_scale_waits_for_the_second_missed_initial_appointment():
    first, second = lapse(INITIAL_APPOINTMENT, Source.SYSTEM), lapse(INITIAL_APPOINTMENT, Source.SYSTEM)
    assert lapses_opening_case(first, [], SCALES["target"]) is None
    assert lapses_opening_case(second, [first], SCALES["target"]) == [first, second]


def test_a_reported_lapse_always_opens_a_case():
    reported = lapse(INITIAL_APPOINTMENT, Source.REFERENT_REPORT)
    assert lapses_opening_case(reported, [], SCALES["target"]) == [reported]


@dataclass(frozen=True)
class Org:
    org_id: str
    org_type: str
    territories: tuple[str, ...]


DEP44, DEP49 = Org("departement-44", "departement", ("44",)), Org("departement-49", "departement", ("49",))
CAF44, FT44 = Org("caf-44", "caf", ("44",)), Org("ft-agence-44-nantes-est", "france_travail", ("44",))
ML44, TEMP = Org("ml-nantes-metropole", "mission_locale", ("44",)), Org("interim-ouest", "temp_agency", ("44",))
FOLLOWED_BY_FT = PersonFacts("44", date(1980, 1, 1), True, False, referent_org_id=FT44.org_id)


@pytest.mark.parametrize("org,public,expected", [
    (DEP44, "rsa", {Role.AUTHORITY}), (DEP49, "rsa", set()), (CAF44, "rsa", {Role.PAYER}),
    (FT44, "rsa", {Role.REFERENT}), (FT44, "jobseeker", {Role.AUTHORITY, Role.REFERENT}),
    (ML44, "cej", {Role.AUTHORITY}), (ML44, "rsa", set()), (CAF44, "jobseeker", set()), (TEMP, "rsa", set()),
])
def test_roles(org, public, expected):
    assert roles(org, public, "44", FOLLOWED_BY_FT) == expected


def test_only_the_authority_decides_the_referent_reports_the_payer_sees_decisions():
    assert may(frozenset({Role.AUTHORITY}), Action.DECIDE)
    assert not may(frozenset({Role.REFERENT}), Action.DECIDE) and may(frozenset({Role.REFERENT}), Action.REPORT)
    assert not may(frozenset({Role.PAYER}), Action.REPORT)
    assert sees(frozenset({Role.PAYER}), "observation") is None
    assert sees(frozenset({Role.PAYER}), "notified") == "decision"
    assert sees(frozenset({Role.REFERENT}), "observation") == "case"
    assert sees(frozenset(), "notified") is None


@pytest.mark.parametrize("facts,public", [
    (PersonFacts("44", date(1980, 1, 1), True, False), "rsa"),
    (PersonFacts("44", date(2004, 1, 1), True, False), "rsa"),
    (PersonFacts("44", date(2004, 1, 1), False, False), "cej"),
    (PersonFacts("44", date(1980, 1, 1), False, False), "jobseeker"),
])
def test_public_of(facts, public):
    assert public_of(facts, date(2026, 3, 2)) == public
