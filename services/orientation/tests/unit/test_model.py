"""Decision states: rules, proposals to the deciding département, its decision, the automatic
fallback after the delay (with a controllable clock), interviews and re-orientations."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.core.errors import InvalidTransition, RuleBroken
from services.orientation.domain.model import Choice, Orientation
from services.orientation.domain.rules import evaluate
from services.orientation.tests.builders import NOW, person, referential

LOIRE, NATIONAL = referential("44"), referential()


def oriented(p, referential_=LOIRE, org_id="ft-agence-44-nantes-est") -> Orientation:
    orientation = Orientation(p)
    orientation.apply_rules(referential_, evaluate(referential_, p.facts(NOW)), org_id, NOW)
    return orientation


def test_rules_decide_for_a_person_outside_the_rsa():
    decision = oriented(person()).current
    assert (decision.status, decision.decided_by) == ("decided", "rules")
    assert decision.referential == {"territory": "44", "version": 1, "national_version": 1}


def test_the_operator_decides_for_rsa_recipients_where_the_departement_delegated():
    decision = oriented(person(rsa=True, departement="49"), NATIONAL).current
    assert (decision.status, decision.decided_by) == ("decided", "delegated_operator")


def test_rsa_recipients_of_44_get_a_proposal_that_falls_back_after_30_days():
    orientation = oriented(person(rsa=True))
    assert orientation.status == "proposed" and orientation.current.decided_by is None
    assert orientation.decision_due_at == NOW + timedelta(days=30)

    assert orientation.fall_back(NOW + timedelta(days=29, hours=23)) is None
    assert orientation.status == "proposed"

    decision = orientation.fall_back(NOW + timedelta(days=30))
    assert (decision.status, decision.decided_by) == ("decided", "automatic_fallback")
    assert decision.referent == orientation.history[0].referent
    assert decision.previous_decision_id == orientation.history[0].decision_id
    assert "no decision from the département within 30 days" in decision.rule
    assert orientation.decision_due_at is None
    assert orientation.fall_back(NOW + timedelta(days=60)) is None  # once


def test_the_departement_validates_or_amends_a_proposal():
    orientation = oriented(person(rsa=True))
    decision = orientation.validate(LOIRE, None, "", "departement-44", NOW, None, None)
    assert (decision.decided_by, decision.referent.org_id) == ("departement", "ft-agence-44-nantes-est")
    assert orientation.fall_back(NOW + timedelta(days=31)) is None  # decided: no fallback any more

    amended = oriented(person(rsa=True))
    amended.validate(LOIRE, Choice("social", "departement", "intensive"), "departement-44", "departement-44", NOW,
                     "departement_assessment", "housing")
    assert (amended.current.pathway, amended.current.referent.org_type) == ("social", "departement")
    with pytest.raises(InvalidTransition):
        amended.validate(LOIRE, None, "", "departement-44", NOW, None, None)


def test_an_amendment_must_be_eligible():
    orientation = oriented(person(rsa=True, age=40))
    with pytest.raises(RuleBroken) as refused:
        orientation.validate(LOIRE, Choice("social", "mission_locale", "intensive"), "ml", "departement-44", NOW, "other", None)
    assert refused.value.field == "referent_org_type"


def test_an_interview_decides_but_an_rsa_recipients_outcome_goes_to_the_departement():
    pending = oriented(person(answers=None))
    assert pending.status == "pending_interview"
    decision = pending.record_interview(LOIRE, Choice("professional", "france_travail", "guided"), "ft", "ft", False, NOW, "ok")
    assert (decision.status, decision.decided_by) == ("decided", "interview")

    rsa = oriented(person(rsa=True, answers=None))
    rsa.record_interview(LOIRE, Choice("professional", "france_travail", "guided"), "ft", "ft", False, NOW, None)
    assert rsa.status == "proposed" and rsa.decision_due_at == NOW + timedelta(days=30)


def test_no_competent_organisation_means_an_interview():
    orientation = oriented(person(), org_id=None)
    assert orientation.status == "pending_interview"
    assert "no france_travail organisation is listed for département 44" in orientation.current.rule


def test_reorientation_needs_a_decided_orientation_and_keeps_the_history():
    orientation = oriented(person())
    with pytest.raises(InvalidTransition):
        oriented(person(rsa=True)).reorient(LOIRE, Choice("social", "france_travail", "intensive"), "ft", "ft", False,
                                            NOW, "other", None)
    decision = orientation.reorient(LOIRE, Choice("social", "france_travail", "intensive"), "ft", "ft", False, NOW,
                                    "first_appointment", None)
    assert (decision.kind, decision.decided_by, decision.reason) == ("reoriented", "reorientation", "first_appointment")
    assert [d.status for d in orientation.history] == ["decided", "decided"] and orientation.version == 2


def test_decision_ids_derive_from_the_person_and_rank():
    p = person()
    assert oriented(p).current.decision_id == oriented(p).current.decision_id


def test_finality():
    assert not oriented(person()).is_final(has_appointment=False)
    assert oriented(person()).is_final(has_appointment=True)
    assert not oriented(person(rsa=True)).is_final(has_appointment=False)
