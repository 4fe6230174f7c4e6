"""The person's own door on fakes (issue 15): the policy's `person` row, the access log as the person
sees it (control reads once their procedure closed), correction requests and the referent's answers."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from services.core.access_log import access_recorded
from services.core.errors import Conflict, Forbidden, NotFound, RuleBroken
from services.core.events import Envelope
from services.core.identity import Caller
from services.core.person_policy import Relation
from services.dossier.api import examples
from services.dossier.domain import corrections
from services.dossier.domain.policy import Grants
from services.dossier.service import person_door
from services.dossier.service.access_intake import record_told_access
from services.dossier.tests.fakes import SCHEMAS
from services.notifications.published import MESSAGE_FAILED
from services.dossier.tests.unit.conftest import DEP, FT, HEALTH_NOTE, ML, NOW
from services.sanctions.published import ACCESS_RECORDED as SANCTIONS_ACCESS

SECTIONS = ("identity", "rsa_status", "orientation", "appointments", "diagnostic", "contract", "reviews",
            "corrections", "failed_reminders", "access_log", "history")


def test_the_person_reads_every_section_and_their_health_data_and_writes_only_corrections():
    own = Grants.own()
    assert {s for s in SECTIONS if own.may_read(s)} == set(SECTIONS) - {"history"}
    assert {s for s in SECTIONS if own.may_write(s)} == {"corrections"}
    assert own.sees_health and own.knows_person


def test_only_the_referent_reads_and_answers_corrections_and_sees_failed_reminders():
    for relation in Relation:
        grants = Grants(frozenset({relation}))
        assert grants.may_read("corrections") is grants.may_write("corrections") is (relation is Relation.REFERENT)
        assert grants.may_read("failed_reminders") is (relation is Relation.REFERENT)
        assert not grants.may_write("failed_reminders")


def test_the_persons_view_is_the_dossier_with_health_data_and_what_the_referent_wrote(service, uow, person_id):
    contract = {**examples.CONTRACT_PATCH, "typed_obligations": [{"code": "active_job_search", "due_dates": []}]}
    service.patch(uow, ML, person_id, "contract", contract, '"0"')
    service.patch(uow, ML, person_id, "diagnostic", {"overall_situation": {"health": HEALTH_NOTE}}, '"0"')
    logged = len(uow.dossiers.access_log)

    view = person_door.own_dossier(uow, person_id, NOW)
    assert view["person_id"] == person_id
    assert view["identity"]["barriers"]["health"] is True and "rqth" in view["identity"]
    assert view["diagnostic"]["overall_situation"]["health"] == HEALTH_NOTE
    assert view["contract"]["typed_obligations"] == [{"code": "active_job_search", "due_dates": []}]
    assert view["contract"]["objectives"] == examples.CONTRACT_PATCH["objectives"]
    # Every obligation in force, the common base and the pathway's with the one agreed, in French words.
    in_force = {o["code"]: o for o in view["contract"]["obligations_in_force"]}
    assert {"attend_appointment", "sign_contract", "active_job_search"} <= set(in_force)
    assert in_force["report_changes"]["every"] == "quarterly"  # an RSA recipient reports quarterly
    assert in_force["attend_appointment"]["label"] == "Se présenter aux rendez-vous avec son référent"
    assert "obligations_in_force" not in service.view(uow, ML, person_id, "accompaniment")["contract"]
    assert view["corrections"] == {"items": []}
    # The département reading for the RSA sees no health data; the organisations' two reads are logged,
    # the person's own is not.
    assert "health" not in service.view(uow, DEP, person_id, "rsa_entitlement")["identity"].get("barriers", {})
    assert len(uow.dossiers.access_log) == logged + 2


def test_no_dossier_yet_is_a_404(uow):
    with pytest.raises(NotFound):
        person_door.own_dossier(uow, str(uuid.uuid4()), NOW)


def told(person_id: str, by: Caller, purpose: str, at: datetime) -> Envelope:
    event = Envelope(type=SANCTIONS_ACCESS.name, source="sanctions", subject=person_id, time=at, data=access_recorded(
        person_id, by, service="sanctions", action="read_case", access="read", sections=["case"], purpose=purpose,
        reason=None, at=at - timedelta(days=20)))
    SCHEMAS.validate(event.to_dict())
    return event


def test_the_access_log_shows_every_organisation_and_control_reads_once_their_procedure_closed(
        service, uow, person_id):
    service.view(uow, ML, person_id, "accompaniment")
    service.view(uow, FT, person_id, "control")  # the dossier's own control read: its procedure is unknown here
    record_told_access(uow, told(person_id, DEP, "control", NOW))  # sanctions tells it once the case closed
    service.patch(uow, ML, person_id, "diagnostic", {"skills": {"summary": "Cariste"}}, '"0"')

    shown = person_door.own_access_log(uow, person_id, None, 10)
    assert [(e["by"]["org_id"], e["access"], e["purpose"], e["service"]) for e in shown] == [
        ("ml-nantes-metropole", "write", None, "dossier"),
        ("departement-44", "read", "control", "sanctions"),
        ("ml-nantes-metropole", "read", "accompaniment", "dossier"),
    ]
    assert shown[1]["procedure_closed_at"] == NOW
    # Pages are cut after the filter: the withheld read takes no place in them.
    first = person_door.own_access_log(uow, person_id, None, 2)
    assert len(first) == 2
    assert [e["id"] for e in person_door.own_access_log(uow, person_id, first[-1]["id"], 2)] == [shown[2]["id"]]
    # The organisations' own access-log route still shows every entry.
    assert len(service.access_log(uow, FT, person_id, "accompaniment", None, 10)) == 4


def test_a_person_asks_a_correction_and_the_referent_answers_it_once(service, uow, person_id):
    asked = person_door.ask_correction(uow, person_id, "c-1", "diagnostic", "professional_project.mobility",
                                       "J'ai le permis B.", NOW)
    assert asked["status"] == "open" and asked["answer"] is None
    assert service.view(uow, ML, person_id, "accompaniment")["corrections"]["items"] == [asked]
    assert "corrections" not in service.view(uow, FT, person_id, "accompaniment")

    with pytest.raises(Forbidden):
        service.answer_correction(uow, FT, person_id, "c-1", "accepted", "Vu.")
    answered = service.answer_correction(uow, ML, person_id, "c-1", "accepted", "C'est corrigé.")
    assert (answered["status"], answered["answer"], answered["answered_by"]) == (
        "accepted", "C'est corrigé.", {"org_id": "ml-nantes-metropole", "org_type": "mission_locale"})
    assert person_door.own_corrections(uow, person_id, None, 10) == [answered]
    assert person_door.own_correction(uow, person_id, "c-1") == answered
    with pytest.raises(corrections.AlreadyAnswered):
        service.answer_correction(uow, ML, person_id, "c-1", "refused", "Non.")
    with pytest.raises(NotFound):
        service.answer_correction(uow, ML, person_id, "c-2", "refused", "Non.")
    # The answer is a write of the person's data by an organisation: in their access log.
    assert person_door.own_access_log(uow, person_id, None, 1)[0]["sections"] == ["corrections"]


def test_corrections_are_listed_newest_first_by_cursor_and_bounded(uow, person_id):
    for n in range(corrections.MAX_OPEN):
        person_door.ask_correction(uow, person_id, f"c-{n:02}", "identity", None, "Mon nom", NOW + timedelta(n))
    page = person_door.own_corrections(uow, person_id, None, 3)
    assert [c["correction_id"] for c in page] == ["c-19", "c-18", "c-17"]
    after = (page[-1]["asked_at"], page[-1]["correction_id"])
    assert person_door.own_corrections(uow, person_id, after, 1)[0]["correction_id"] == "c-16"
    with pytest.raises(Conflict):
        person_door.ask_correction(uow, person_id, "c-x", "identity", None, "Encore", NOW)


def test_a_correction_is_asked_about_a_part_of_the_dossier(uow, person_id):
    with pytest.raises(RuleBroken) as refused:
        person_door.ask_correction(uow, person_id, "c-1", "rsa_status", None, "?", NOW)
    assert refused.value.field == "section"


def failed_reminder(person_id: str, channel: str = "sms", message_id: str | None = None) -> Envelope:
    """As notifications publishes it (schemas/notifications.message.failed.v1.json)."""
    event = Envelope(type=MESSAGE_FAILED.name, source="notifications", subject=person_id, time=NOW, data={
        "message_id": message_id or str(uuid.uuid4()), "reminder_event_id": str(uuid.uuid4()), "person_id": person_id,
        "org_id": "ml-nantes-metropole", "appointment_id": str(uuid.uuid4()),
        "starts_at": (NOW + timedelta(days=2)).isoformat(), "reminder": "48h", "channel": channel, "attempts": 5,
        "error": "http 503", "failed_at": NOW.isoformat()})
    SCHEMAS.validate(event.to_dict())
    return event


def test_a_reminder_given_up_shows_in_the_referents_view_and_the_persons_once(service, uow, person_id):
    told = failed_reminder(person_id)
    service.on_message_failed(uow, told)
    service.on_message_failed(uow, told)  # told again (a replay): kept once
    [shown] = service.view(uow, ML, person_id, "accompaniment")["failed_reminders"]["items"]
    assert (shown["channel"], shown["error"], shown["attempts"]) == ("sms", "http 503", 5)
    assert "reminder_event_id" not in shown and "person_id" not in shown
    assert person_door.own_dossier(uow, person_id, NOW)["failed_reminders"]["items"] == [shown]
    assert "failed_reminders" not in service.view(uow, FT, person_id, "accompaniment")
    assert "failed_reminders" not in service.view(uow, DEP, person_id, "rsa_entitlement")
