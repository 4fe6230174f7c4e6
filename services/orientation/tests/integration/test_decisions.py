"""Registrations on Kafka become decisions, readable through the API and told on Kafka; the
département decides for RSA recipients; the fallback, interviews, preferences, re-orientations."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.orientation.tests.builders import ANSWERS, registered_event
from services.orientation.tests.integration.conftest import DECISIONS, now

pytestmark = pytest.mark.integration


def test_a_registration_yields_a_decision_readable_and_told_on_kafka(orientation, broker):
    since = broker.end_offsets(DECISIONS)
    person_id = orientation.register(registered_event(executive=True))
    answer = orientation.decision(person_id)
    body = answer.json()
    assert answer.headers["ETag"] == '"1"'
    current = body["current"]
    assert (body["status"], current["decided_by"], current["pathway"]) == ("decided", "rules", "professional")
    assert current["referent"] == {"org_type": "apec", "org_id": "apec-pays-de-la-loire"}
    assert current["referential"] == {"territory": "44", "version": 1, "national_version": 1}
    assert "Referent apec: executive experience on a professional pathway" in current["rule"]

    [event] = orientation.events(DECISIONS, since, person_id, 1)
    assert event["type"] == "orientation.decision.made.v1" and event["subject"] == person_id
    assert event["data"]["decision_id"] == current["decision_id"] and event["data"]["status"] == "decided"
    assert "pre_diagnostic" not in event["data"] and "barriers" not in str(event["data"])

    # Nobody else learns the person exists: not the mission locale, not another département.
    for client in ("mission-locale-nantes", "caf-44"):
        hidden = orientation.service.get(f"/v1/orientation/decisions/{person_id}",
                                         headers=orientation.tokens.headers(client))
        assert hidden.status_code in (403, 404), client  # the CAF lacks the scope; the others do not see
    assert orientation.service.get(f"/v1/orientation/decisions/{person_id}").status_code == 401


def test_rsa_in_44_is_proposed_then_decided_by_the_departement(orientation, broker):
    since = broker.end_offsets(DECISIONS)
    person_id = orientation.register(registered_event(rsa=True))
    proposed = orientation.decision(person_id, client="departement-44").json()
    assert proposed["status"] == "proposed" and proposed["current"]["decided_by"] is None
    assert proposed["decision_due_at"] is not None
    path = f"/v1/orientation/decisions/{person_id}/validate"

    assert orientation.post(path, {}, client="departement-44").status_code == 428
    assert orientation.post(path, {}, client="departement-44", **{"If-Match": '"7"'}).status_code == 412
    assert orientation.post(path, {}, **{"If-Match": '"1"'}).status_code == 403  # the operator does not decide
    incomplete = orientation.post(path, {"pathway": "social"}, client="departement-44", **{"If-Match": '"1"'})
    assert incomplete.status_code == 422 and incomplete.headers["content-type"] == "application/problem+json"

    decided = orientation.post(path, {}, client="departement-44", **{"If-Match": '"1"'})
    assert decided.status_code == 200, decided.text
    assert decided.headers["ETag"] == '"2"'
    body = decided.json()
    assert (body["status"], body["current"]["decided_by"], body["current"]["recorded_by"]) == (
        "decided", "departement", "departement-44")
    assert [d["status"] for d in body["history"]] == ["proposed", "decided"]
    again = orientation.post(path, {}, client="departement-44", **{"If-Match": '"2"'})
    assert again.status_code == 409

    events = orientation.events(DECISIONS, since, person_id, 2)
    assert [(e["data"]["status"], e["data"]["decided_by"]) for e in events] == [
        ("proposed", None), ("decided", "departement")]


def test_the_departement_may_not_decide_once_the_person_is_no_longer_an_rsa_recipient(orientation):
    # A social pathway: the proposal names the département, which keeps seeing the person.
    social = {**ANSWERS, "availability": "beyond_3_months"}
    person_id = orientation.register(registered_event(rsa=True, pre_diagnostic=social))
    assert orientation.decision(person_id, client="departement-44").json()["status"] == "proposed"
    orientation.register(registered_event(person_id=person_id, rsa=False, pre_diagnostic=social))
    orientation.caught_up()

    refused = orientation.post(f"/v1/orientation/decisions/{person_id}/validate", {}, client="departement-44",
                               **{"If-Match": '"1"'})
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert "RSA recipient now" in refused.json()["detail"]
    assert orientation.decision(person_id).json()["status"] == "proposed"


def test_a_proposal_left_undecided_becomes_the_decision_after_30_days(orientation, broker):
    since = broker.end_offsets(DECISIONS)
    registered = now() - timedelta(days=10)
    person_id = orientation.register(registered_event(rsa=True, registered_at=registered.isoformat()))
    assert orientation.decision(person_id).json()["status"] == "proposed"
    service = orientation.app.state.orientation

    service.apply_overdue_fallbacks(orientation.units, registered + timedelta(days=29))
    assert orientation.decision(person_id).json()["status"] == "proposed"
    service.apply_overdue_fallbacks(orientation.units, registered + timedelta(days=30, minutes=1))
    body = orientation.decision(person_id).json()
    assert (body["status"], body["current"]["decided_by"]) == ("decided", "automatic_fallback")

    events = orientation.events(DECISIONS, since, person_id, 2)
    assert events[-1]["data"]["decided_by"] == "automatic_fallback"


def test_unclear_answers_go_to_an_interview_then_a_reorientation(orientation, broker):
    since = broker.end_offsets(DECISIONS)
    person_id = orientation.register(registered_event(pre_diagnostic=None))
    pending = orientation.decision(person_id).json()
    assert pending["status"] == "pending_interview" and "lacks answers" in pending["current"]["rule"]
    interview = {"pathway": "professional", "referent_org_type": "france_travail", "intensity": "guided",
                 "notes": "Project confirmed."}
    path = f"/v1/orientation/decisions/{person_id}"
    ineligible = orientation.post(f"{path}/interview", {**interview, "referent_org_type": "cap_emploi"},
                                  **{"If-Match": '"1"'})
    assert ineligible.status_code == 422 and ineligible.json()["errors"][0]["field"] == "referent_org_type"
    decided = orientation.post(f"{path}/interview", interview, **{"If-Match": '"1"'}).json()
    assert (decided["status"], decided["current"]["decided_by"]) == ("decided", "interview")

    reorientation = {"reason": "first_appointment", "pathway": "socio_professional",
                     "referent_org_type": "france_travail", "intensity": "intensive", "comment": "Housing first."}
    created = orientation.post(f"{path}/reorientations", reorientation, **{"If-Match": '"2"', "Idempotency-Key": "r1"})
    assert created.status_code == 201 and created.headers["Location"] == path
    replay = orientation.post(f"{path}/reorientations", reorientation, **{"If-Match": '"2"', "Idempotency-Key": "r1"})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"

    events = orientation.events(DECISIONS, since, person_id, 3)
    assert [e["type"] for e in events] == ["orientation.decision.made.v1"] * 2 + ["orientation.decision.reoriented.v1"]
    assert events[-1]["data"]["reason"] == "first_appointment" and "Housing" not in str(events[-1]["data"])
    assert "Project confirmed" not in str(events[1]["data"])  # notes stay in the service


def test_a_preference_reruns_the_rules_until_the_orientation_is_final(orientation):
    person_id = orientation.register(registered_event(rsa=True, birth_date="1985-01-01"))
    assert orientation.decision(person_id).json()["current"]["referent"]["org_type"] == "france_travail"
    path = f"/v1/orientation/decisions/{person_id}/preference"

    refused = orientation.post(path, {"org_type": "mission_locale"}, **{"If-Match": '"1"'}).json()
    assert refused["status"] == "pending_interview" and "not open to this person" in refused["current"]["rule"]
    honoured = orientation.post(path, {"org_type": "france_travail"}, **{"If-Match": '"2"'}).json()
    assert honoured["status"] == "proposed" and honoured["preferred_org_type"] == "france_travail"
    assert honoured["current"]["rule_ids"][1] == "preference"

    validate = f"/v1/orientation/decisions/{person_id}/validate"
    assert orientation.post(validate, {}, client="departement-44", **{"If-Match": '"3"'}).status_code == 200
    final = orientation.post(path, {"org_type": "france_travail"}, **{"If-Match": '"4"'})
    assert final.status_code == 409
