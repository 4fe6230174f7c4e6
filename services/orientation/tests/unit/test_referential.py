"""The referential as data: département overrides merge over the national text; a faulty
document is refused naming the field."""
from __future__ import annotations

import copy

import pytest

from services.orientation.adapters.files import shipped_referential
from services.orientation.domain import referential as ref
from services.orientation.tests.builders import referential


def test_the_loire_atlantique_override_keeps_the_national_rules_and_its_own_rsa_authority():
    national, loire = referential(), referential("44")
    assert national.rsa_authority == "delegated" and loire.rsa_authority == "departement"
    assert loire.decision_delay_days == 30
    assert loire.pathway == national.pathway and loire.referent == national.referent


def test_deep_merge_merges_mappings_and_replaces_lists_and_values():
    base = {"rsa": {"authority": "delegated", "decision_delay_days": 30}, "major_barriers": ["housing", "health"]}
    merged = ref.deep_merge(base, {"rsa": {"decision_delay_days": 21}, "major_barriers": ["finances"]})
    assert merged == {"rsa": {"authority": "delegated", "decision_delay_days": 21}, "major_barriers": ["finances"]}
    assert base["rsa"]["decision_delay_days"] == 30  # the national document is not modified


def test_an_override_can_replace_a_stage_of_rules():
    only_operator = {"referent": [{"id": "all", "then": "france_travail", "when": {}, "explain": "everyone"}]}
    assert [r.id for r in referential("49", only_operator).referent] == ["all"]


def _broken(change) -> dict:
    document = copy.deepcopy(shipped_referential("national"))
    change(document)
    return document


@pytest.mark.parametrize("change, field", [
    (lambda d: d["rsa"].update(authority="prefet"), "rsa.authority"),
    (lambda d: d["rsa"].update(decision_delay_days=0), "rsa.decision_delay_days"),
    (lambda d: d["pathway"][0].update(then="any"), "pathway[0].then"),
    (lambda d: d["referent"][1]["when"].update(age_under=26), "referent[1].when.age_under"),
    (lambda d: d["referent"][0]["when"].update(rqth="yes"), "referent[0].when.rqth"),
    (lambda d: d["intensity"].pop(), "intensity[3].when"),  # the last rule must apply to everyone
    (lambda d: d.update(major_barriers=["housing", "weather"]), "major_barriers"),
    (lambda d: d["eligibility"].update(opco={}), "eligibility.opco"),
    (lambda d: d.pop("pathway"), "pathway"),
])
def test_a_faulty_document_is_refused_naming_the_field(change, field):
    with pytest.raises(ref.InvalidReferential) as refused:
        ref.parse(_broken(change), "national", 2, 2)
    assert refused.value.path == field


def test_months_since_registration_count_whole_months():
    from datetime import datetime, timezone
    start = datetime(2025, 3, 15, tzinfo=timezone.utc)
    assert ref.months_between(start, datetime(2026, 3, 14, tzinfo=timezone.utc)) == 11
    assert ref.months_between(start, datetime(2026, 3, 15, tzinfo=timezone.utc)) == 12
