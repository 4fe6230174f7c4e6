"""/v1/me/registration on SQLite and PostgreSQL: the person's own registration, and only theirs."""
from __future__ import annotations

import json

import pytest

from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.registration.published import CONTACT_CHANGED, CONTACTS, PERSON_UPDATED, PERSONS
from services.registration.tests.builders import person

pytestmark = pytest.mark.integration

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


def registered(service, tokens, **options) -> str:
    answer = service.post("/v1/registrations", json=person(**options), headers=tokens.headers("ft-agence-nantes"))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_a_person_reads_their_whole_registration_with_the_nir_masked(service, tokens):
    camille = registered(service, tokens, rqth=True)
    mine = service.get("/v1/me/registration", headers=tokens.person_headers(camille))
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["id"] == camille and mine.headers["ETag"] == '"1"'
    assert body["identity"]["nir_masked"].startswith("2 01 ") and "nir" not in body["identity"]
    assert body["situation"]["rqth"] is True  # their own health data is theirs to see
    assert body["contact"]["opted_out_channels"] == []
    assert "possible_duplicate_of" not in body


def test_a_person_corrects_their_contact_and_it_is_told(service, tokens, broker):
    camille, other = registered(service, tokens), registered(service, tokens)
    since = {topic: broker.end_offsets(topic) for topic in (CONTACTS.address, PERSONS.address)}
    headers = tokens.person_headers(camille)
    assert service.patch("/v1/me/registration/contact", json={"email": "c@example.net"},
                         headers=headers).status_code == 428
    changed = service.patch("/v1/me/registration/contact", json={"email": "c@example.net", "opted_out_channels": ["sms"]},
                            headers={**headers, "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == '"2"'
    assert changed.json()["contact"]["email"] == "c@example.net"
    assert changed.json()["contact"]["opted_out_channels"] == ["sms"]
    stale = service.patch("/v1/me/registration/contact", json={"phone": None}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert service.patch("/v1/me/registration/contact", json={"nir": "1"},
                         headers={**headers, "If-Match": '"2"'}).status_code == 422
    untouched = service.get(f"/v1/registrations/{other}", headers=tokens.headers("ft-agence-nantes")).json()
    assert untouched["contact"]["email"] == "camille.martin@example.org"

    def mine(messages):
        return [json.loads(m.value) for m in messages if m.key and m.key.decode() == camille]

    # The registration's own events may be relayed after `since` was read: wait for the change's.
    def told(topic, event_type, **data):
        def found(messages):
            return [e for e in mine(messages) if e["type"] == event_type.name
                    and all(e["data"].get(k) == v for k, v in data.items())]
        return found(broker.read(topic.address, since[topic.address], lambda ms: bool(found(ms)), 30))

    change = told(CONTACTS, CONTACT_CHANGED, opted_out_channels=["sms"], email="c@example.net")
    assert len(change) == 1
    SCHEMAS.validate(change[0])
    assert told(PERSONS, PERSON_UPDATED)


def test_the_door_is_the_persons_own(service, tokens):
    assert service.get("/v1/me/registration", headers=tokens.person_headers(
        "00000000-0000-4000-8000-000000000000")).status_code == 404
    organisation = service.get("/v1/me/registration", headers=tokens.headers("ft-agence-nantes"))
    assert organisation.status_code == 403
    admin = service.get("/v1/me/registration", headers=tokens.headers("platform-admin"))
    assert admin.status_code == 403
    camille = registered(service, tokens)
    person = tokens.person_headers(camille)
    assert service.get(f"/v1/registrations/{camille}", headers=person).status_code == 403
    assert service.get("/v1/registrations", headers=person).status_code == 403
