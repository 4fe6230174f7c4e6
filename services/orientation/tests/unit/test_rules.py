"""The shipped national referential, rule by rule, and the precedence between rules."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.orientation.domain.rules import evaluate
from services.orientation.tests.builders import NOW, person, referential

NATIONAL = referential()


def outcome(p, preferred=None):
    return evaluate(NATIONAL, p.facts(NOW), preferred)


@pytest.mark.parametrize("barriers, availability, expected", [
    ({"housing": True, "health": True, "finances": True}, "within_3_months", "social"),
    ({"administrative_judicial": True, "health": True, "finances": True, "housing": True}, "immediate", "social"),
    ({}, "beyond_3_months", "social"),
    ({"housing": True, "finances": True}, "immediate", "socio_professional"),
    ({"health": True}, "within_3_months", "socio_professional"),
    ({"basic_skills": True}, "immediate", "socio_professional"),
    ({"language": True}, "immediate", "socio_professional"),
    ({"digital": True}, "immediate", "socio_professional"),
    ({"mobility": True, "family": True}, "immediate", "professional"),  # not major, not skills-related
    ({}, "immediate", "professional"),
])
def test_pathway(barriers, availability, expected):
    assert outcome(person(barriers=barriers, availability=availability)).pathway == expected


@pytest.mark.parametrize("facts, barriers, expected, rule", [
    (dict(rqth=True), {}, "cap_emploi", "rqth-professional"),
    (dict(rqth=True, age=22), {}, "cap_emploi", "rqth-professional"),  # RQTH on a professional pathway first
    (dict(rqth=True, age=22), {"health": True}, "mission_locale", "under-26"),  # not professional: under 26 next
    (dict(age=22, executive=True), {}, "mission_locale", "under-26"),
    (dict(executive=True), {}, "apec", "executive-professional"),
    (dict(executive=True), {"digital": True}, "france_travail", "france-travail"),
    (dict(rsa=True), {"housing": True, "health": True, "finances": True}, "departement", "rsa-social"),
    (dict(rsa=True), {"housing": True}, "france_travail", "france-travail"),  # socio-professional RSA: operator
    (dict(), {"housing": True, "health": True, "finances": True}, "france_travail", "france-travail"),
    (dict(), {}, "france_travail", "france-travail"),
])
def test_referent_precedence(facts, barriers, expected, rule):
    result = outcome(person(barriers=barriers, **facts))
    assert (result.org_type, result.rule_ids[1]) == (expected, rule)


@pytest.mark.parametrize("facts, answers, expected", [
    (dict(rsa=True), dict(project_maturity="ready", support_needed="autonomous"), "intensive"),
    (dict(registered_at=NOW - timedelta(days=400)), dict(project_maturity="ready", support_needed="autonomous"),
     "intensive"),
    (dict(registered_at=NOW - timedelta(days=300)), dict(project_maturity="ready", support_needed="autonomous"),
     "autonomous"),
    (dict(), dict(support_needed="intensive"), "intensive"),
    (dict(), dict(project_maturity="to_confirm", support_needed="autonomous"), "guided"),
    (dict(), dict(), "guided"),
])
def test_intensity(facts, answers, expected):
    assert outcome(person(**facts, **answers)).intensity == expected


def test_explanation_names_each_rule_in_words():
    result = outcome(person(rsa=True, barriers={"housing": True, "health": True, "finances": True}))
    assert result.explanation.startswith("Pathway social: three or more major barriers declared")
    assert "Referent departement: RSA recipient on a social pathway" in result.explanation
    assert "Intensity intensive: RSA recipients start with intensive support" in result.explanation
    assert "national referential v1" in result.explanation


@pytest.mark.parametrize("answers, why", [
    (None, "lacks answers (project_maturity, availability, support_needed, barriers)"),
    ({"project_maturity": "ready", "barriers": {}}, "lacks answers (availability, support_needed)"),
])
def test_missing_answers_need_an_interview(answers, why):
    result = outcome(person(answers=answers))
    assert result.needs_interview and result.pathway is None and why in result.explanation


@pytest.mark.parametrize("answers, barriers, rule", [
    (dict(availability="immediate", project_maturity="ready", support_needed="intensive"), {}, "ready-now-yet-intensive"),
    (dict(support_needed="autonomous"), {"housing": True, "health": True, "finances": True},
     "autonomous-despite-major-barriers"),
])
def test_contradictions_need_an_interview(answers, barriers, rule):
    result = outcome(person(barriers=barriers, **answers))
    assert result.needs_interview and result.rule_ids == (rule,)
    assert "contradictory answers" in result.explanation


@pytest.mark.parametrize("facts, barriers, preferred, honoured", [
    (dict(age=22), {}, "mission_locale", True),
    (dict(age=22), {}, "france_travail", True),
    (dict(age=30), {}, "mission_locale", False),
    (dict(rqth=True), {"housing": True}, "cap_emploi", True),
    (dict(), {}, "cap_emploi", False),
    (dict(executive=True), {}, "apec", True),
    (dict(executive=True), {"housing": True}, "apec", False),  # apec only on a professional pathway
    (dict(rsa=True), {"housing": True}, "departement", True),
    (dict(rsa=True), {}, "departement", False),
])
def test_preference_is_honoured_when_eligible(facts, barriers, preferred, honoured):
    result = outcome(person(barriers=barriers, **facts), preferred)
    if honoured:
        assert result.org_type == preferred and result.rule_ids[1] == "preference"
    else:
        assert result.needs_interview and result.rule_ids[-1] == "preference-not-eligible"
        assert f"preferred organisation type {preferred} is not open" in result.explanation
