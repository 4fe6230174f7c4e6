"""The registration service on SQLite and PostgreSQL, with its relay and consumer on real Kafka."""
from __future__ import annotations

import base64
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.registration.published import CONTACT_CHANGED, CONTACTS, PERSON_REGISTERED, PERSON_UPDATED, PERSONS
from services.registration.tests.builders import person

pytestmark = pytest.mark.integration

TOPIC = PERSONS.address
SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


def post(service, tokens, body, client="ft-agence-nantes", **headers):
    return service.post("/v1/registrations", json=body, headers=tokens.headers(client, **headers))


def events_for(broker, since, subject, count=1, timeout=30):
    def mine(messages):
        return [m for m in messages if m.key and m.key.decode() == subject]

    return mine(broker.read(TOPIC, since, lambda ms: len(mine(ms)) >= count, timeout))


def test_registration_is_stored_and_told_once_without_the_nir(service, tokens, broker, database_url):
    since = broker.end_offsets(TOPIC)
    body = person()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    answer = post(service, tokens, body, traceparent=f"00-{trace_id}-00f067aa0ba902b7-01")
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert answer.headers["Location"] == f"/v1/registrations/{created['id']}"
    assert answer.headers["ETag"] == '"1"'
    assert created["address"]["departement_code"] == "44" and created["address"]["region_code"] == "52"
    assert created["situation"]["under_26"] is (date.today() < date(2027, 3, 14))
    assert "nir" not in created["identity"] and created["identity"]["nir_masked"].startswith("2 01 ")

    messages = events_for(broker, since, created["id"])
    time.sleep(1)  # anything published twice would show up here
    messages = events_for(broker, since, created["id"], timeout=1)
    assert len(messages) == 1
    message = messages[0]
    envelope = json.loads(message.value)
    SCHEMAS.validate(envelope)
    assert envelope["type"] == PERSON_REGISTERED.name
    assert envelope["subject"] == created["id"]
    headers = dict(message.headers)
    assert headers["ce_id"].decode() == envelope["id"]
    assert headers["traceparent"].decode().split("-")[1] == trace_id  # the caller's trace goes on in Kafka
    assert envelope["traceparent"] == headers["traceparent"].decode()
    nir_digits = body["identity"]["nir"].replace(" ", "")
    assert nir_digits not in message.value.decode()
    with create_engine(database_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar() == 0
        stored = conn.execute(text("SELECT sections FROM registrations")).scalar()
    assert nir_digits not in str(stored)


def test_same_nir_twice_points_at_the_existing_registration(service, tokens):
    body = person()
    first = post(service, tokens, body).json()
    again = post(service, tokens, {**body, "contact": {"email": "other@example.org"}})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["existing_registration"] == f"/v1/registrations/{first['id']}"


def test_a_likely_duplicate_without_nir_is_registered_and_flagged(service, tokens):
    first = post(service, tokens, person(nir=False, last_name="Lefèvre-Dupont", first_name="Élodie")).json()
    look_alike = post(service, tokens, person(nir=False, last_name="LEFEVRE DUPONT", first_name="Elodie"))
    stranger = post(service, tokens, person(nir=False, last_name="Bernard", first_name="Louis"))
    assert look_alike.status_code == 201
    assert look_alike.json()["possible_duplicate_of"] == first["id"]
    assert stranger.json()["possible_duplicate_of"] is None


@pytest.mark.parametrize("nir, reason", [
    ("2 01 03 49 007 123 87", "control key"),
    ("3 01 03 49 007 123 86", "sex"),
    ("2 01 13 49 007 123 86", "month"),
    ("2 01 03 49 007 12", "15"),
])
def test_a_wrong_nir_is_refused_naming_the_field(service, tokens, nir, reason):
    body = person()
    body["identity"]["nir"] = nir
    answer = post(service, tokens, body)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["errors"][0]["field"] == "identity.nir"
    assert nir.replace(" ", "")[:13] not in answer.text  # the number is never echoed


def test_nir_must_match_the_declared_birth_date(service, tokens):
    body = person(birth=date(1990, 5, 2))
    body["identity"]["birth_date"] = "1991-05-02"
    answer = post(service, tokens, body)
    assert answer.status_code == 422 and "birth year" in answer.json()["detail"]


def test_an_unknown_commune_is_refused(service, tokens):
    answer = post(service, tokens, person(commune_code="96001"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "address.commune_code"


def test_each_organisation_sees_only_its_public(service, tokens):
    young_rsa = post(service, tokens, person(birth=date(2003, 1, 5))).json()
    older_no_rsa = post(service, tokens, person(birth=date(1975, 6, 1), rsa=False)).json()
    parisian = post(service, tokens, person(commune_code="75111", postal_code="75011")).json()

    def visible(client):
        answer = service.get("/v1/registrations?limit=100", headers=tokens.headers(client))
        assert answer.status_code == 200
        return {item["id"] for item in answer.json()["items"]}

    assert {young_rsa["id"], older_no_rsa["id"], parisian["id"]} <= visible("ft-agence-nantes")
    # A département knows the RSA recipients of its territory, not every resident (services/core/person_policy.py).
    assert young_rsa["id"] in visible("departement-44") and older_no_rsa["id"] not in visible("departement-44")
    assert parisian["id"] not in visible("departement-44")
    assert young_rsa["id"] in visible("mission-locale-nantes") and older_no_rsa["id"] not in visible("mission-locale-nantes")
    assert young_rsa["id"] in visible("caf-44") and older_no_rsa["id"] not in visible("caf-44")
    assert service.get(f"/v1/registrations/{parisian['id']}", headers=tokens.headers("departement-44")).status_code == 404
    caf_view = service.get(f"/v1/registrations/{young_rsa['id']}", headers=tokens.headers("caf-44")).json()
    assert caf_view["pre_diagnostic"] is None and caf_view["project"] is None and caf_view["situation"]["rsa_recipient"]
    assert service.get("/v1/registrations", headers=tokens.headers("interim-ouest")).status_code == 403
    # A CAF reads RSA recipients but does not change them.
    change = service.patch(f"/v1/registrations/{young_rsa['id']}", json={"project": {"mobility_km": 5}},
                           headers=tokens.headers("caf-44", scopes={"registrations:read", "registrations:write"},
                                                  **{"If-Match": '"1"'}))
    assert change.status_code == 403


def test_list_pages_with_a_cursor_and_filters(service, tokens):
    created = [post(service, tokens, person()).json()["id"] for _ in range(5)]
    post(service, tokens, person(commune_code="75111", postal_code="75011"))
    seen, cursor = [], None
    while True:
        # status=registered: pre-registrations replayed from partner facts on the topic are not ours.
        url = "/v1/registrations?limit=2&departement_code=44&status=registered" + (f"&cursor={cursor}" if cursor else "")
        page = service.get(url, headers=tokens.headers("ft-agence-nantes")).json()
        seen += [item["id"] for item in page["items"]]
        assert all(item["address"]["departement_code"] == "44" for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == created
    future = service.get("/v1/registrations?registered_from=2100-01-01T00:00:00Z",
                         headers=tokens.headers("ft-agence-nantes")).json()
    assert future["items"] == []
    assert service.get("/v1/registrations?limit=101", headers=tokens.headers("ft-agence-nantes")).status_code == 422


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "garbage", "%00", _cursor('["2026-11-23T10:00:00+00:00"]'), _cursor('["2026-11-23T10:00:00", "id"]'),
    _cursor('["not a date", "id"]'), _cursor('[123, "id"]'), _cursor('["2026-11-23T10:00:00+00:00", 1e999]'),
    _cursor('["2026-11-23T10:00:00+00:00", NaN]'), _cursor("[" * 150 + "]" * 150), _cursor('{"a": 1}'),
])
def test_a_hostile_cursor_is_invalid_input(service, tokens, cursor):
    answer = service.get(f"/v1/registrations?cursor={cursor}", headers=tokens.headers("ft-agence-nantes"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in answer.json()["errors"]] == ["query.cursor"]


def test_updates_need_the_current_etag_and_are_told(service, tokens, broker):
    since = broker.end_offsets(TOPIC)
    created = post(service, tokens, person()).json()
    url = f"/v1/registrations/{created['id']}"
    change = {"contact": {"phone": "+33 6 00 00 00 01"}}
    assert service.patch(url, json=change, headers=tokens.headers("ft-agence-nantes")).status_code == 428
    updated = service.patch(url, json=change, headers=tokens.headers("ft-agence-nantes", **{"If-Match": '"1"'}))
    assert updated.status_code == 200 and updated.headers["ETag"] == '"2"'
    assert updated.json()["contact"]["phone"] == "+33 6 00 00 00 01"
    stale = service.patch(url, json=change, headers=tokens.headers("ft-agence-nantes", **{"If-Match": '"1"'}))
    assert stale.status_code == 412
    bad = service.patch(url, json={"situation": {"rsa_recipient": "perhaps"}},
                        headers=tokens.headers("ft-agence-nantes", **{"If-Match": '"2"'}))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "situation.rsa_recipient"
    types = [json.loads(m.value)["type"] for m in events_for(broker, since, created["id"], count=2)]
    assert types == [PERSON_REGISTERED.name, PERSON_UPDATED.name]


def test_idempotency_key_replays_the_first_answer(service, tokens):
    body = person()
    key = {"Idempotency-Key": f"retry-{body['identity']['last_name']}"}
    first = post(service, tokens, body, **key)
    replay = post(service, tokens, body, **key)
    assert first.status_code == replay.status_code == 201
    assert replay.json()["id"] == first.json()["id"] and replay.headers["Idempotent-Replayed"] == "true"
    other = post(service, tokens, person(), **key)
    assert other.status_code == 409 and "different request" in other.json()["detail"]


def test_concurrent_registrations_of_one_nir_make_one_person(service, tokens):
    body = person()
    headers = tokens.headers("ft-agence-nantes")
    variants = [{**body, "contact": {"email": f"n{i}@example.org"}} for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda b: service.post("/v1/registrations", json=b, headers=headers), variants))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 7, [a.text for a in answers if a.status_code not in (201, 409)]
    winner = next(a for a in answers if a.status_code == 201).json()["id"]
    assert {a.json()["existing_registration"] for a in answers if a.status_code == 409} == {f"/v1/registrations/{winner}"}


def test_concurrent_retries_with_one_idempotency_key_make_one_person(service, tokens):
    body = person()
    headers = tokens.headers("ft-agence-nantes", **{"Idempotency-Key": f"race-{body['identity']['last_name']}"})
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: service.post("/v1/registrations", json=body, headers=headers), range(6)))
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1


def test_the_contact_reaches_its_own_topic_on_registration_and_on_each_change(service, tokens, broker):
    since = broker.end_offsets(CONTACTS.address)
    created = post(service, tokens, person()).json()
    changed = service.patch(f"/v1/registrations/{created['id']}", json={"contact": {"opted_out_channels": ["email"]}},
                            headers=tokens.headers("ft-agence-nantes", **{"If-Match": '"1"'}))
    assert changed.status_code == 200, changed.text
    assert changed.json()["contact"]["opted_out_channels"] == ["email"]

    def mine(messages):
        return [json.loads(m.value) for m in messages if m.key and m.key.decode() == created["id"]]

    told = mine(broker.read(CONTACTS.address, since, lambda ms: len(mine(ms)) >= 2, 30))
    for envelope in told:
        SCHEMAS.validate(envelope)
    assert [e["type"] for e in told] == [CONTACT_CHANGED.name] * 2
    assert [e["data"]["opted_out_channels"] for e in told] == [[], ["email"]]
    assert set(told[0]["data"]) == {"person_id", "email", "phone", "preferred_channel", "opted_out_channels"}
