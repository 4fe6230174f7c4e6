"""The contradictory procedure's every transition and refusal, on a controlled clock."""
from __future__ import annotations

import pytest

from services.core.errors import InvalidTransition, RuleBroken
from services.sanctions.domain.case import Ground, Status
from services.sanctions.tests.builders import NOW, lapse, later, open_case

DEP = "departement-44"


def test_opening_sends_the_notice_with_the_possible_consequence_and_the_deadline():
    case = open_case("rsa")
    assert case.status is Status.OBSERVATION
    assert case.observation_ends_at == later(30)
    assert [s.kind for s in case.timeline] == ["lapse_recorded", "notice_sent"]
    assert case.timeline[1].detail["possible_consequence"] == "allowance_reduction"


@pytest.mark.parametrize("public,category,days", [("jobseeker", "missed_appointment", 10), ("rsa", "obligation", 30),
                                                  ("cej", "obligation", 15)])
def test_the_observation_period_ends_on_the_regimes_day_and_not_before(public, category, days):
    case = open_case(public, category)
    assert not case.tick(later(days - 0.001))
    assert case.status is Status.OBSERVATION
    assert case.tick(later(days))
    assert case.status is (Status.AWAITING_OPINION if public == "rsa" else Status.AWAITING_DECISION)
    assert not case.tick(later(days + 1))  # once only


def test_target_regime_gives_everyone_fifteen_days():
    case = open_case("rsa", "obligation", version="target", previous=1)
    assert case.observation_ends_at == later(15)


def test_no_decision_while_the_period_runs_and_no_observations_are_in():
    case = open_case("jobseeker", "missed_appointment")
    with pytest.raises(InvalidTransition, match="observation period"):
        case.decide(True, None, None, "ft", later(9))


def test_observations_in_before_the_deadline_allow_the_decision():
    case = open_case("jobseeker", "missed_appointment")
    case.record_observations("J'étais malade.", None, "ft", later(2))
    assert case.status is Status.AWAITING_DECISION
    case.decide(True, None, None, "ft", later(3))
    assert case.status is Status.NOTIFIED
    assert case.decision["consequence"]["months"] == 1
    assert [c.kind for c in case.changes] == ["decided"]
    assert [s.kind for s in case.timeline][-2:] == ["decided", "notified"]


@pytest.mark.parametrize("ground", list(Ground))
def test_a_legitimate_reason_or_the_droit_a_l_erreur_closes_without_sanction(ground):
    case = open_case("rsa")
    case.record_observations("Justificatif fourni.", ground, DEP, later(1))
    assert case.status is Status.CLOSED and not case.changes
    with pytest.raises(InvalidTransition):
        case.decide(True, None, None, DEP, later(40))


def test_rsa_goes_to_the_equipe_pluridisciplinaire_before_the_pcd_decides():
    case = open_case("rsa")
    case.tick(later(30))
    with pytest.raises(InvalidTransition, match="awaiting_opinion"):
        case.decide(True, None, None, DEP, later(31))
    case.give_opinion("sanction", "Aucune réponse.", DEP, later(31))
    assert case.status is Status.AWAITING_DECISION
    case.decide(True, 2, 40, DEP, later(32))
    assert case.decision["consequence"]["months"] == 2 and case.decision["consequence"]["reduction_percent"] == 40


def test_opinion_refused_before_the_person_could_answer_and_for_regimes_without_one():
    with pytest.raises(InvalidTransition):
        open_case("rsa").give_opinion("sanction", None, DEP, later(1))
    jobseeker = open_case("jobseeker", "missed_appointment")
    jobseeker.tick(later(10))
    with pytest.raises(InvalidTransition):
        jobseeker.give_opinion("sanction", None, "ft", later(11))


def test_the_pcd_may_ask_the_equipe_for_a_remobilisation():
    case = open_case("rsa", "initial_appointments_missed", version="target")
    case.tick(later(15))
    assert case.status is Status.AWAITING_DECISION  # no équipe by default (L3352)
    case.give_opinion("no_sanction", None, DEP, later(16))
    assert case.opinion["recommendation"] == "no_sanction"


@pytest.mark.parametrize("months,percent,field", [(4, None, "months"), (0, None, "months"), (None, 81, "reduction_percent")])
def test_the_decision_stays_within_the_scale(months, percent, field):
    case = open_case("rsa")
    case.record_observations("", None, DEP, later(1))
    case.give_opinion("sanction", None, DEP, later(2))
    with pytest.raises(RuleBroken) as refused:
        case.decide(True, months, percent, DEP, later(3))
    assert refused.value.field == field


def test_a_household_of_several_is_capped_at_half():
    case = open_case("rsa", household=3)
    case.record_observations("", None, DEP, later(1))
    case.give_opinion("sanction", None, DEP, later(2))
    with pytest.raises(RuleBroken):
        case.decide(True, 1, 60, DEP, later(3))


def test_deciding_no_sanction_closes():
    case = open_case("cej")
    case.tick(later(15))
    case.decide(False, None, None, "ml", later(16))
    assert case.status is Status.CLOSED and case.decision is None


def _notified(public="jobseeker", category="missed_appointment", version="current"):
    case = open_case(public, category, version=version)
    case.record_observations("", None, "x", later(1))
    if case.status is Status.AWAITING_OPINION:
        case.give_opinion("sanction", None, "x", later(1))
    case.decide(True, None, None, "x", later(2))
    return case


def test_appeal_of_the_regimes_kind_only():
    case = _notified()
    with pytest.raises(RuleBroken):
        case.appeal("mandatory_prior_appeal_pcd", "x", later(3))
    case.appeal("hierarchical", "x", later(3))
    assert case.status is Status.APPEALED
    with pytest.raises(InvalidTransition):
        case.appeal("courts", "x", later(4))


@pytest.mark.parametrize("before", ["notified", "appealed"])
def test_lift_and_annul_from_a_decision_in_force(before):
    case = _notified()
    if before == "appealed":
        case.appeal("hierarchical", "x", later(3))
    case.lift("authority", "x", later(4))
    assert case.status is Status.LIFTED
    case.annul("appeal upheld", "x", later(5))
    assert case.status is Status.ANNULLED
    assert [c.kind for c in case.changes] == ["decided", "lifted", "annulled"]
    for refused in (lambda: case.lift("again", "x", later(6)), lambda: case.annul("again", "x", later(6)),
                    lambda: case.appeal("courts", "x", later(6))):
        with pytest.raises(InvalidTransition):
            refused()


@pytest.mark.parametrize("action", ["lift", "annul", "appeal"])
def test_nothing_to_lift_annul_or_appeal_before_a_decision(action):
    case = open_case("rsa")
    with pytest.raises(InvalidTransition):
        getattr(case, action)("courts" if action == "appeal" else "x", "x", later(1))


def test_observations_refused_once_decided():
    case = _notified()
    with pytest.raises(InvalidTransition):
        case.record_observations("trop tard", None, "x", later(5))


def test_remobilisation_lifted_once_the_first_interview_is_held_and_the_contract_signed():
    case = _notified("rsa", "initial_appointments_missed", "target")
    assert case.decision["consequence"]["kind"] == "suspension_remobilisation"
    assert case.record_reengagement("interview_held", later(5), later(5))
    assert case.status is Status.NOTIFIED
    assert not case.record_reengagement("interview_held", later(6), later(6))  # once
    assert case.record_reengagement("contract_signed", later(7), later(7))
    assert case.status is Status.LIFTED
    assert case.timeline[-1].detail == {"reason": "remobilised"}
    assert [c.kind for c in case.changes] == ["decided", "lifted"]


def test_reengagement_before_the_case_or_for_another_sanction_lifts_nothing():
    case = _notified("rsa", "initial_appointments_missed", "target")
    assert not case.record_reengagement("interview_held", NOW - (later(1) - NOW), later(5))
    other = _notified()
    other.record_reengagement("interview_held", later(5), later(5))
    other.record_reengagement("contract_signed", later(6), later(6))
    assert other.status is Status.NOTIFIED


def test_reengagement_during_the_procedure_lifts_the_remobilisation_as_soon_as_decided():
    case = open_case("rsa", "initial_appointments_missed", version="target")
    case.record_reengagement("interview_held", later(1), later(1))
    case.record_reengagement("contract_signed", later(2), later(2))
    case.tick(later(15))
    case.decide(True, None, None, DEP, later(16))
    assert case.status is Status.LIFTED


def test_every_change_bumps_the_version():
    case = open_case("jobseeker", "missed_appointment")
    versions = [case.version]
    case.record_observations("", None, "x", later(1))
    versions.append(case.version)
    case.decide(True, None, None, "x", later(2))
    versions.append(case.version)
    assert versions == [1, 2, 3]


def test_a_further_lapse_joins_the_open_procedure_and_not_a_decided_one():
    case = open_case("rsa")
    case.add_lapse(lapse("carry_out_actions"))
    assert [s.kind for s in case.timeline].count("lapse_recorded") == 2 and len(case.lapse_ids) == 2
    decided = _notified()
    with pytest.raises(InvalidTransition):
        decided.add_lapse(lapse())


def test_the_persons_own_observations_within_the_period_are_marked_as_theirs():
    case = open_case("rsa", "obligation")  # thirty days
    case.observe_as_person("Mon adresse a changé.", later(29))
    assert case.status is Status.AWAITING_OPINION
    assert case.observations["sent_by"] == "person" and case.observations["accepted_ground"] is None
    step = case.timeline[-2]
    assert (step.kind, step.by, step.detail) == ("observations_received", "person", {"sent_by": "person"})
    with pytest.raises(InvalidTransition, match="already in"):
        case.observe_as_person("Encore une chose.", later(29))


@pytest.mark.parametrize("moved_on", [False, True])
def test_the_persons_observations_after_the_period_are_refused_saying_when_it_ended(moved_on):
    case = open_case("rsa", "obligation")
    if moved_on:  # the deadline job already ran, or not yet: the same refusal
        case.tick(later(30))
    with pytest.raises(InvalidTransition) as refused:
        case.observe_as_person("Trop tard.", later(30))
    assert refused.value.details["deadline"] == later(30).isoformat()
    assert later(30).isoformat() in refused.value.message and case.observations is None
