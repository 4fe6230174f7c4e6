"""Dossier use cases on in-memory fakes: who writes what, stale versions, signing, reviews, the
access log of every read and the events published (each checked against its schema)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.errors import Forbidden, NotFound, PreconditionFailed, PreconditionRequired, RuleBroken
from services.dossier.api import examples
from services.dossier.domain.sections import AlreadySigned, DIAGNOSTIC_FIELDS, NothingToSign
from services.core.identity import Caller
from services.dossier.published import CONTRACT_SIGNED, DIAGNOSTIC_COMPLETED, REVIEW_RECORDED
from services.dossier.tests.unit.conftest import DEP, FT, HEALTH_NOTE, ML, NOW, SCOPES

CAF = Caller("caf-44", "caf-44", "caf", ("44",), frozenset({"dossier:read"}))
OTHER_ML = Caller("mission-locale-angers", "ml-angers", "mission_locale", ("49",), SCOPES)


def write_contract(service, uow, person_id) -> None:
    service.patch(uow, ML, person_id, "contract", dict(examples.CONTRACT_PATCH), '"0"')


def test_the_referent_writes_the_diagnostic_and_its_completion_is_told_once(service, uow, person_id):
    body, version = service.patch(uow, ML, person_id, "diagnostic", dict(examples.DIAGNOSTIC_PATCH), '"0"')
    assert version == 1 and body["completed_at"] is not None
    service.patch(uow, ML, person_id, "diagnostic", {"labour_market": {"offers_proposed": 2}}, '"1"')

    [completed] = uow.events.of_type(DIAGNOSTIC_COMPLETED)
    assert completed.subject == person_id
    assert completed.data["version"] == 1 and completed.data["explicit"] is False
    assert completed.data["completed_by"] == {"org_id": "ml-nantes-metropole", "org_type": "mission_locale"}
    assert completed.data["fields_filled"] == list(DIAGNOSTIC_FIELDS)


def test_a_partner_may_declare_an_incomplete_diagnostic_complete(service, uow, person_id):
    service.patch(uow, FT, person_id, "diagnostic", {"skills": {"summary": "CAP"}, "completed": True}, '"0"')
    [completed] = uow.events.of_type(DIAGNOSTIC_COMPLETED)
    assert completed.data["explicit"] is True and completed.data["fields_filled"] == ["skills"]
    [change] = uow.dossiers.changes(person_id, ["diagnostic"], None, 10)
    assert change.changes == {"skills": {"summary": "CAP"}, "completed": True}


@pytest.mark.parametrize("caller, section, refusal", [
    (DEP, "contract", Forbidden),  # follows the contract, does not write it
    (DEP, "diagnostic", Forbidden),
    (CAF, "diagnostic", Forbidden),
    (FT, "reviews", Forbidden),  # France Travail is not the referent here
    (OTHER_ML, "diagnostic", NotFound),  # does not even learn the person exists
])
def test_a_section_is_written_only_as_the_policy_allows(service, uow, person_id, caller, section, refusal):
    with pytest.raises(refusal):
        if section == "reviews":
            service.record_review(uow, caller, person_id, str(uuid.uuid4()), dict(examples.REVIEW_CREATE))
        else:
            service.patch(uow, caller, person_id, section, {"objectives": ["x"]}, '"0"')
    assert uow.dossiers.changes(person_id, ["diagnostic", "contract", "reviews"], None, 10) == []
    assert uow.events.emitted == []


def test_nobody_writes_to_the_dossier_of_an_unknown_person(service, uow):
    with pytest.raises(NotFound):
        service.patch(uow, FT, str(uuid.uuid4()), "diagnostic", {"skills": {"summary": "x"}}, '"0"')


def test_health_is_written_by_the_referent_only(service, uow, person_id):
    health = {"overall_situation": {"health": HEALTH_NOTE}}
    with pytest.raises(Forbidden):
        service.patch(uow, FT, person_id, "diagnostic", health, '"0"')
    body, _ = service.patch(uow, ML, person_id, "diagnostic", health, '"0"')
    assert body["overall_situation"]["health"] == HEALTH_NOTE


def test_a_write_needs_the_version_read_and_a_stale_one_changes_nothing(service, uow, person_id):
    service.patch(uow, ML, person_id, "diagnostic", {"skills": {"summary": "first"}}, '"0"')
    with pytest.raises(PreconditionRequired):
        service.patch(uow, FT, person_id, "diagnostic", {"skills": {"summary": "blind"}}, None)
    with pytest.raises(PreconditionFailed):
        service.patch(uow, FT, person_id, "diagnostic", {"skills": {"summary": "stale"}}, '"0"')
    body, version = service.section(uow, FT, person_id, "diagnostic", "accompaniment")
    assert version == 1 and body["skills"] == {"summary": "first"}


def test_the_person_signs_a_written_contract_once_per_version(service, uow, person_id):
    with pytest.raises(NothingToSign):
        service.sign(uow, ML, person_id, "on_site", None)
    write_contract(service, uow, person_id)
    with pytest.raises(PreconditionFailed):
        service.sign(uow, ML, person_id, "on_site", '"0"')
    body, version = service.sign(uow, ML, person_id, "on_site", '"1"')
    assert version == 2 and body["signature"]["version"] == 2 and body["jeunes_mention"] is True
    with pytest.raises(AlreadySigned):
        service.sign(uow, ML, person_id, "online", None)

    [signed] = uow.events.of_type(CONTRACT_SIGNED)
    assert signed.data["contract_version"] == 2 and signed.data["jeunes_mention"] is True
    assert signed.data["referent"] == {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"}
    assert signed.data["objectives_count"] == 1 and len(signed.data["actions"]) == 2
    assert signed.data["next_review_due"] == "2027-05-23"  # six months after the signature


def test_a_review_is_recorded_once_it_took_place_and_moves_the_next_one(service, uow, person_id):
    held = {**examples.REVIEW_CREATE, "held_at": (NOW + timedelta(hours=1)).isoformat()}
    with pytest.raises(RuleBroken) as refused:
        service.record_review(uow, ML, person_id, str(uuid.uuid4()), held)
    assert refused.value.field == "held_at"

    review_id = str(uuid.uuid4())
    held = {**examples.REVIEW_CREATE, "held_at": "2026-11-20T09:00:00+01:00"}
    item = service.record_review(uow, ML, person_id, review_id, held)
    assert item["held_at"] == "2026-11-20T08:00:00+00:00" and item["recorded_by"]["org_id"] == "ml-nantes-metropole"
    [recorded] = uow.events.of_type(REVIEW_RECORDED)
    assert (recorded.data["review_id"], recorded.data["next_review_due"]) == (review_id, "2027-05-20")
    assert service.review(uow, DEP, person_id, review_id, "rsa_entitlement") == item
    with pytest.raises(NotFound):
        service.review(uow, DEP, person_id, str(uuid.uuid4()), "rsa_entitlement")


def test_every_read_is_logged_with_its_purpose_and_a_refused_one_is_not(service, uow, person_id):
    service.view(uow, DEP, person_id, "rsa_entitlement")
    service.section(uow, CAF, person_id, "rsa_status", "rsa_entitlement")
    with pytest.raises(Forbidden):
        service.section(uow, CAF, person_id, "diagnostic", "rsa_entitlement")
    with pytest.raises(NotFound):
        service.view(uow, OTHER_ML, person_id, "accompaniment")
    service.history(uow, ML, person_id, "accompaniment", None, 10)
    page = service.access_log(uow, FT, person_id, "control", None, 10)

    # The access log's own consultation is logged after its page is read.
    assert [(e["by"]["org_id"], e["sections"], e["purpose"]) for e in page] == [
        ("ml-nantes-metropole", ["history"], "accompaniment"),
        ("caf-44", ["rsa_status"], "rsa_entitlement"),
        ("departement-44", ["identity", "rsa_status", "orientation", "appointments", "contract", "reviews"],
         "rsa_entitlement"),
    ]
    latest = service.access_log(uow, FT, person_id, "control", None, 1)
    assert [(e["by"]["client_id"], e["sections"], e["access"]) for e in latest] == [
        ("ft-agence-nantes", ["access_log"], "read")]


def test_a_write_is_logged_and_its_history_shown_without_health_to_others(service, uow, person_id):
    service.patch(uow, ML, person_id, "diagnostic", {"overall_situation": {"health": HEALTH_NOTE, "housing": "x"}},
                  '"0"')
    [write] = [e for e in service.access_log(uow, ML, person_id, "accompaniment", None, 10) if e["access"] == "write"]
    assert (write["sections"], write["purpose"], write["by"]["org_id"]) == (["diagnostic"], None, "ml-nantes-metropole")

    [by_referent] = service.history(uow, ML, person_id, "accompaniment", None, 10)
    [by_operator] = service.history(uow, FT, person_id, "accompaniment", None, 10)
    assert by_referent["changes"]["overall_situation"] == {"health": HEALTH_NOTE, "housing": "x"}
    assert by_operator["changes"]["overall_situation"] == {"housing": "x"}
    assert (by_operator["section"], by_operator["action"], by_operator["version"]) == ("diagnostic", "patched", 1)

