"""Issue 9, findings 2 and 3 through the API and on the real broker: a NIR is no oracle of person
ids, and health data reaches no reader of registrations and no broadcast event."""
from __future__ import annotations

from datetime import date

import pytest

from services.core.health_data import health_keys_in
from services.registration.domain.nir_conflicts import ConflictAllowance
from services.registration.published import ACCESS_RECORDED, PERSON_HEALTH, PERSON_REGISTERED, PERSONS
from services.registration.tests.builders import person
from services.registration.tests.integration.test_registration_api import post

pytestmark = pytest.mark.integration


def test_a_nir_conflict_tells_an_organisation_that_may_not_see_the_person_nothing_more(service, tokens, broker):
    body = person(birth=date(1985, 6, 1))  # over 26: the mission locale may not see this person
    since = broker.end_offsets(ACCESS_RECORDED.topic.address)
    holder = post(service, tokens, body).json()["id"]  # told as the agency's write
    for _ in range(ConflictAllowance().attempts):
        refused = post(service, tokens, body, client="mission-locale-nantes")
        assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
        assert "existing_registration" not in refused.json() and holder not in refused.text

    limited = post(service, tokens, body, client="mission-locale-nantes")
    assert limited.status_code == 429 and limited.headers["content-type"] == "application/problem+json"
    assert limited.json()["type"].endswith("/too-many-nir-conflicts") and int(limited.headers["Retry-After"]) > 0
    assert holder not in limited.text
    assert post(service, tokens, body).json()["existing_registration"] == f"/v1/registrations/{holder}"

    told = broker.events(ACCESS_RECORDED.topic.address, since, holder, ConflictAllowance().attempts + 2)
    assert [(e["type"], e["data"]["by"]["client_id"], e["data"]["access"]) for e in told] == [
        (ACCESS_RECORDED.name, "ft-agence-nantes", "write")] + [
        (ACCESS_RECORDED.name, "mission-locale-nantes", "refused")] * ConflictAllowance().attempts + [
        (ACCESS_RECORDED.name, "ft-agence-nantes", "refused")]


def test_health_data_reaches_no_reader_of_registrations_and_no_broadcast_event(service, tokens, broker):
    since = {topic: broker.end_offsets(topic) for topic in (PERSONS.address, PERSON_HEALTH.topic.address)}
    body = person(rqth=True)
    body["pre_diagnostic"]["barriers"]["health"] = True
    created = post(service, tokens, body)
    person_id = created.json()["id"]
    assert list(health_keys_in(created.json())) == []
    for client in ("ft-agence-nantes", "departement-44", "caf-44"):
        read = service.get(f"/v1/registrations/{person_id}", headers=tokens.headers(client))
        listed = service.get("/v1/registrations?limit=100", headers=tokens.headers(client))
        assert read.status_code == 200 and listed.status_code == 200, client
        assert list(health_keys_in(read.json())) == [] and list(health_keys_in(listed.json())) == [], client

    [broadcast] = broker.events(PERSONS.address, since[PERSONS.address], person_id, 1)
    assert broadcast["type"] == PERSON_REGISTERED.name and list(health_keys_in(broadcast["data"])) == []
    [restricted] = broker.events(PERSON_HEALTH.topic.address, since[PERSON_HEALTH.topic.address], person_id, 1)
    assert restricted["data"]["situation"]["rqth"] is True
    assert restricted["data"]["pre_diagnostic"]["barriers"]["health"] is True
