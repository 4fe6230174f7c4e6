"""Section rules: health stripping, diagnostic completion, signing."""
from __future__ import annotations

import pytest

from services.dossier.domain.sections import (
    AlreadySigned, NothingToSign, Section, check_signable, completes_diagnostic, touches, without_paths,
)

SIX = {"skills": {"summary": "x"}, "professional_project": {"maturity": "defined"}, "labour_market": {"summary": "x"},
       "overall_situation": {"housing": "x"}, "digital_and_basic_skills": {"basic_skills": "acquired"},
       "rights_and_duties": {"presented": True}}


@pytest.mark.parametrize("patch, touched", [
    ({"overall_situation": {"health": "x"}}, True),
    ({"overall_situation": {"health": None}}, True),
    ({"overall_situation": None}, True),  # removing the parent removes the health note too
    ({"overall_situation": {"housing": "x"}}, False),
    ({"skills": {"summary": "x"}}, False),
])
def test_a_patch_touches_health_when_it_could_change_it(patch, touched):
    assert touches(patch, ("overall_situation", "health")) is touched


def test_without_paths_strips_nested_and_top_level_fields_and_copies():
    content = {"barriers": {"health": True, "housing": True}, "rqth": True, "last_name": "Martin"}
    stripped = without_paths(content, (("barriers", "health"), ("rqth",), ("missing", "deep")))
    assert stripped == {"barriers": {"housing": True}, "last_name": "Martin"}
    assert content["barriers"]["health"] is True


def test_the_diagnostic_completes_once_when_the_six_fields_are_filled():
    section = Section("diagnostic", 1, {k: v for k, v in SIX.items() if k != "rights_and_duties"})
    assert not completes_diagnostic(section, explicit=False)
    section.content = {**SIX, "skills": {}}  # an empty field does not count
    assert not completes_diagnostic(section, explicit=False)
    section.content = SIX
    assert completes_diagnostic(section, explicit=False)
    section.meta["completed_at"] = "2026-11-23T10:00:00+00:00"
    assert not completes_diagnostic(section, explicit=True)


def test_a_partner_may_declare_an_incomplete_diagnostic_complete():
    assert completes_diagnostic(Section("diagnostic", 1, {"skills": {"summary": "x"}}), explicit=True)


def test_a_contract_is_signed_once_per_version_and_only_with_content():
    with pytest.raises(NothingToSign):
        check_signable(Section("contract", 1, {"obligations": ["x"]}))
    contract = Section("contract", 2, {"objectives": ["x"]}, {"signature": {"version": 2}})
    with pytest.raises(AlreadySigned):
        check_signable(contract)
    contract.version = 3  # amended after signature: the new version needs the person's signature
    check_signable(contract)
