"""The person's own door to the profile bank (/v1/me/profile) on SQLite and PostgreSQL with the real
broker: their profile and consents only, a withdrawal that hides them from the next search with the
referent's events, and their own answer to a recruiter's request."""
from __future__ import annotations

import json
import uuid

import pytest

from services.profiles.published import INTRODUCTIONS, PROFILES
from services.profiles.tests.builders import STATEMENT
from services.profiles.tests.integration.test_profile_bank import (
    ML, TEMP, manage, pseudonyms, registered_and_oriented, search,
)

pytestmark = pytest.mark.integration
ME = "/v1/me/profile"


def told(broker, topic, since, person_id, event_type) -> list[str]:
    """The event types about the person on the topic since `since`, once `event_type` is among them."""
    def types(messages):
        return [json.loads(m.value)["type"] for m in messages if m.key and m.key.decode() == person_id]
    return types(broker.read(topic.address, since, lambda messages: event_type in types(messages)))


def test_a_person_reads_their_profile_withdraws_consent_and_answers_a_recruiter(service, tokens, broker, database_url):
    since_profiles = broker.end_offsets(PROFILES.address)
    person_id = registered_and_oriented(broker, database_url)
    manage(service, tokens, person_id, {**STATEMENT, "skills": ["Moulage au sable"]})
    me, stranger = tokens.person_headers(person_id), tokens.person_headers(str(uuid.uuid4()))
    assert service.get(ME, headers=tokens.headers(ML)).status_code == 403  # an organisation never passes
    assert service.get(ME, headers=stranger).status_code == 404
    assert service.get(f"/v1/profiles/persons/{person_id}", headers=me).status_code == 403
    mine = service.get(ME, headers=me)
    assert mine.status_code == 200 and mine.json()["person_id"] == person_id
    assert [(c["audience"], c["revoked_at"]) for c in mine.json()["consents"]] == [("temp_agencies", None)]

    [found] = pseudonyms(search(service, tokens, TEMP, skills=["moulage au sable"]))
    since = broker.end_offsets(INTRODUCTIONS.address)
    asked = service.post("/v1/profiles/interest-requests", json={"pseudonym": found, "message": "Mission fonderie"},
                         headers=tokens.headers(TEMP))
    assert asked.status_code == 201, asked.text
    [interest] = service.get(f"{ME}/interests", headers=me).json()["items"]
    assert interest["id"] == asked.json()["id"] and interest["requester"] == {"org_id": "interim-ouest",
                                                                              "org_type": "temp_agency"}
    assert service.get(f"{ME}/interests", headers=stranger).status_code == 404
    answer = f"{ME}/interests/{interest['id']}/answer"
    assert service.post(answer, json={"answer": "interested"}, headers=stranger).status_code == 404
    assert service.post(answer, json={"answer": "declined"}, headers=me).status_code == 422  # a reason, as ever
    answered = service.post(answer, json={"answer": "interested"}, headers=me)
    assert answered.status_code == 200 and answered.json()["status"] == "interested", answered.text
    assert service.post(answer, json={"answer": "declined", "reason": "too_far"}, headers=me).status_code == 409
    assert [e["type"] for e in broker.events(INTRODUCTIONS.address, since, person_id, 2)] == [
        "profiles.interest.requested.v1", "profiles.interest.answered.v1"]

    consent = f"{ME}/consents/temp_agencies"
    withdrawn = service.put(consent, json={"granted": False}, headers=me)
    assert withdrawn.status_code == 200 and withdrawn.json()["audiences"] == [], withdrawn.text
    assert service.put(consent, json={"granted": False}, headers=me).json() == withdrawn.json()  # a state, again
    assert search(service, tokens, TEMP, skills=["moulage au sable"])["items"] == []
    told_types = told(broker, PROFILES, since_profiles, person_id, "profiles.profile.withdrawn.v1")
    assert told_types[0] == "profiles.profile.published.v1" and told_types[-1] == "profiles.profile.withdrawn.v1"
    assert service.put(consent, json={"granted": True}, headers=me).json()["audiences"] == ["temp_agencies"]
    assert pseudonyms(search(service, tokens, TEMP, skills=["moulage au sable"])) == [found]
