"""Organisations' reads and writes of a person's profile are told to the person's access log (the
dossier's, on profiles.accesses.v1), on SQLite and PostgreSQL with the real broker; the person's own
calls are not, nor are search results."""
from __future__ import annotations

import json

import pytest

from services.profiles.published import ACCESSES
from services.profiles.tests.builders import ML as ML_ORG, STATEMENT
from services.profiles.tests.integration.test_profile_bank import (
    ML, TEMP, manage, pseudonyms, registered_and_oriented, search,
)

pytestmark = pytest.mark.integration
ME = "/v1/me/profile"


def told_until(broker, since, person_id, last_action) -> list[dict]:
    """The access events about the person since `since`, once `last_action` is among them: the outbox
    publishes in commit order, so whatever was told before it is there too."""
    def about(messages):
        return [json.loads(m.value)["data"] for m in messages if m.key and m.key.decode() == person_id]
    found = about(broker.read(ACCESSES.address, since,
                              lambda messages: last_action in [d["action"] for d in about(messages)]))
    return found[:[d["action"] for d in found].index(last_action) + 1]


def test_an_organisations_reads_and_writes_are_told_and_the_persons_own_calls_are_not(
        service, tokens, broker, database_url):
    since = broker.end_offsets(ACCESSES.address)
    person_id = registered_and_oriented(broker, database_url)
    manage(service, tokens, person_id, {**STATEMENT, "skills": ["Soudure TIG"]})  # the referent reads, states, grants
    me, as_temp = tokens.person_headers(person_id), tokens.headers(TEMP)
    assert service.get(ME, headers=me).status_code == 200

    [found] = pseudonyms(search(service, tokens, TEMP, skills=["soudure tig"]))  # a list: not told
    assert service.get(f"/v1/profiles/{found}", headers=as_temp).status_code == 200
    asked = service.post("/v1/profiles/interest-requests", json={"pseudonym": found, "message": "Mission soudure"},
                         headers=as_temp)
    assert asked.status_code == 201, asked.text
    assert service.get(f"{ME}/interests", headers=me).status_code == 200
    answered = service.post(f"{ME}/interests/{asked.json()['id']}/answer", json={"answer": "interested"}, headers=me)
    assert answered.status_code == 200, answered.text
    released = service.post(f"/v1/profiles/interest-requests/{asked.json()['id']}/contact", headers=as_temp)
    assert released.status_code == 200, released.text

    told = told_until(broker, since, person_id, "contact_release")
    assert [(d["by"]["org_id"], d["action"], d["access"], d["sections"], d["purpose"]) for d in told] == [
        (ML_ORG, "read_profile", "read", ["profile"], "accompaniment"),
        (ML_ORG, "state", "write", ["statement"], None),
        (ML_ORG, "grant_consent", "write", ["consents"], None),
        (TEMP, "detail_view", "read", ["public_profile"], "recruitment"),
        (TEMP, "request_interest", "write", ["interest_requests"], None),
        (TEMP, "contact_release", "read", ["identity", "contact"], "recruitment"),
    ]  # and nothing of the person's own reads and answer, made in between
    assert {d["service"] for d in told} == {"profiles"} and {d["person_id"] for d in told} == {person_id}
    assert {d["by"]["org_type"] for d in told} == {"mission_locale", "temp_agency"}
    # The referent's own log still shows what recruiters saw (and the referent's read of it is told).
    log = service.get(f"/v1/profiles/persons/{person_id}/access-log", headers=tokens.headers(ML)).json()["items"]
    assert [(e["action"], e["org_id"]) for e in log] == [("contact_release", TEMP), ("detail_view", TEMP)]
