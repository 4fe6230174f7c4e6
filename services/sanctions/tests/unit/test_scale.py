"""Every cell of the seed's table (L3204-L3206) and every rule of the target regime, through the scale."""
from __future__ import annotations

import pytest

from services.core.errors import RuleBroken
from services.sanctions.adapters.scales import shipped_scales
from services.sanctions.domain.scale import evaluate

SCALES = shipped_scales()

# (regime, category, previous, household) -> (rule, kind, months_min, months_max, cancelled, max %, cap %, removal, support)
CURRENT = [
    ("jobseeker", "missed_appointment", 0, 1, "jobseeker.missed_appointment.1", "allowance_suspension", 1, 1, 0, None, None, False, True),
    ("jobseeker", "missed_appointment", 1, 1, "jobseeker.missed_appointment.2", "removal_and_suppression", 2, 2, 2, None, None, True, False),
    ("jobseeker", "missed_appointment", 2, 1, "jobseeker.missed_appointment.3", "removal_and_suppression", 4, 4, 4, None, None, True, False),
    ("jobseeker", "missed_appointment", 5, 1, "jobseeker.missed_appointment.3", "removal_and_suppression", 4, 4, 4, None, None, True, False),
    ("jobseeker", "list_management", 0, 1, "jobseeker.list_management.1", "removal_and_suppression", 1, 1, 1, None, None, True, False),
    ("jobseeker", "list_management", 1, 1, "jobseeker.list_management.2", "removal_and_suppression", 2, 2, 2, None, None, True, False),
    ("jobseeker", "list_management", 2, 1, "jobseeker.list_management.3", "removal_and_suppression", 4, 4, 4, None, None, True, False),
    ("jobseeker", "false_statement", 0, 1, "jobseeker.false_statement", "removal_and_suppression", 2, 12, None, None, None, True, False),
    ("jobseeker", "false_statement", 3, 1, "jobseeker.false_statement", "removal_and_suppression", 2, 12, None, None, None, True, False),
    ("rsa", "obligation", 0, 1, "rsa.obligation.level1", "allowance_reduction", 1, 3, None, 80, None, False, False),
    ("rsa", "obligation", 0, 2, "rsa.obligation.level1", "allowance_reduction", 1, 3, None, 50, 50, False, False),
    ("rsa", "obligation", 1, 1, "rsa.obligation.level2", "allowance_reduction", 1, 4, None, 100, None, False, False),
    ("rsa", "obligation", 1, 4, "rsa.obligation.level2", "allowance_reduction", 1, 4, None, 50, 50, False, False),
    ("rsa", "obligation", 2, 1, "rsa.obligation.level3", "entitlement_end", None, None, None, 100, None, True, False),
    ("cej", "obligation", 0, 1, "cej.obligation.first", "allowance_reduction", None, None, None, 25, None, False, True),
    ("cej", "obligation", 1, 1, "cej.obligation.second", "allowance_suspension", 1, 1, None, 100, None, False, True),
    ("cej", "obligation", 2, 1, "cej.obligation.third", "contract_termination", 4, 4, None, 100, None, False, False),
]


@pytest.mark.parametrize("regime,category,previous,household,rule,kind,low,high,cancelled,ceiling,cap,removal,support",
                         CURRENT)
def test_current_scale_cell(regime, category, previous, household, rule, kind, low, high, cancelled, ceiling, cap,
                            removal, support):
    result = evaluate(SCALES, regime, category, previous, household)
    c = result.consequence
    assert (result.rule, c.kind, c.months_min, c.months_max, c.allowance_months_cancelled) == (rule, kind, low, high, cancelled)
    assert (c.max_reduction_percent, c.household_cap_percent, c.list_removal, c.support_continues) == (ceiling, cap, removal, support)
    assert result.version == "current" and result.explanation


@pytest.mark.parametrize("regime,authority,days,ep,appeals", [
    ("jobseeker", "agency_director", 10, False, ("hierarchical", "regional_mediation", "courts")),
    ("rsa", "president_conseil_departemental", 30, True, ("mandatory_prior_appeal_pcd", "courts")),
    ("cej", "mission_locale_or_operator", 15, False, ("operator_appeal", "courts")),
])
def test_current_regime_procedure(regime, authority, days, ep, appeals):
    category = "missed_appointment" if regime == "jobseeker" else "obligation"
    result = evaluate(SCALES, regime, category, 0, 1)
    assert (result.authority, result.observation_days, result.equipe_pluridisciplinaire, result.appeals) == (
        authority, days, ep, appeals)


def test_rsa_sanctions_affect_the_whole_household():
    assert all(evaluate(SCALES, "rsa", "obligation", n, 1).consequence.whole_household for n in range(3))


def test_jobseeker_observation_period_says_which_of_the_seeds_two_figures_applies():
    jobseeker = SCALES["current"].regimes["jobseeker"]
    assert jobseeker.observation_days == 10
    note = jobseeker.observation_note
    assert "délai de contradictoire d'un mois" in note and "10 jours" in note  # both quoted
    assert "L3171" in note and "L3214" in note and "10 days apply" in note


@pytest.mark.parametrize("regime,category,previous,rule,kind,ep,authority", [
    ("target", "initial_appointments_missed", 0, "target.initial_appointments_missed", "suspension_remobilisation", False, "france_travail_operator"),
    ("rsa", "initial_appointments_missed", 3, "target.initial_appointments_missed", "suspension_remobilisation", False, "president_conseil_departemental"),
    ("target", "control_finding", 0, "target.control_finding", "suspension_remobilisation", False, "france_travail_operator"),
    ("rsa", "control_finding", 1, "target.control_finding", "suspension_remobilisation", False, "president_conseil_departemental"),
    ("target", "obligation", 0, "target.obligation.first", "suspension_remobilisation", False, "france_travail_operator"),
    ("jobseeker", "obligation", 1, "target.obligation.repeated", "partial_suppression", False, "agency_director"),
    ("rsa", "obligation", 1, "target.obligation.repeated", "partial_suppression", True, "president_conseil_departemental"),
    ("cej", "obligation", 2, "target.obligation.repeated", "partial_suppression", False, "mission_locale_or_operator"),
])
def test_target_rule(regime, category, previous, rule, kind, ep, authority):
    result = evaluate(SCALES, regime, category, previous, 2, version="target")
    assert (result.rule, result.consequence.kind, result.equipe_pluridisciplinaire, result.authority) == (
        rule, kind, ep, authority)
    # #68: 15 days for all; no automatic end of support, no list removal in the unified regime.
    assert result.observation_days == 15
    assert result.consequence.support_continues and not result.consequence.list_removal


@pytest.mark.parametrize("args,field", [
    (("jobseeker", "obligation", 0, 1), "category"),
    (("rsa", "missed_appointment", 0, 1), "category"),
    (("jobseeker", "missed_appointment", -1, 1), "previous_sanctions"),
    (("rsa", "obligation", 0, 0), "household_size"),
])
def test_refusals(args, field):
    with pytest.raises(RuleBroken) as refused:
        evaluate(SCALES, *args)
    assert refused.value.field == field


def test_unified_regime_exists_in_the_target_version_only():
    with pytest.raises(RuleBroken) as refused:
        evaluate(SCALES, "target", "obligation", 0, 1, version="current")
    assert refused.value.field == "version"
    with pytest.raises(RuleBroken):
        evaluate(SCALES, "rsa", "obligation", 0, 1, version="2019")
