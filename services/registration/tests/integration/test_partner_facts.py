"""Partner facts ("dites-le nous une fois"): a CAF RSA opening prefills a pre-registration."""
from __future__ import annotations

import copy
import json
import time
import uuid

import pytest

from services.core.idempotency import resource_id
from services.core.inbound import PARTNERS_INBOUND
from services.core.settings import REPO_ROOT
from services.registration.published import PERSON_REGISTERED, PERSONS

pytestmark = pytest.mark.integration

PARTNERS_TOPIC = PARTNERS_INBOUND.address
DEMO_FACT = json.loads((REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json").read_text())


def caf_fact(**person) -> dict:
    fact = copy.deepcopy(DEMO_FACT)
    fact["id"] = str(uuid.uuid4())
    fact["data"]["person"].update(person)
    return fact


def send(broker, fact: dict) -> None:
    broker.produce(PARTNERS_TOPIC, fact["subject"], json.dumps(fact).encode())


def wait_for(service, tokens, registration_id: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = service.get(f"/v1/registrations/{registration_id}", headers=tokens.headers("ft-agence-nantes"))
        if answer.status_code == 200:
            return answer.json()
        time.sleep(0.3)
    raise AssertionError(f"registration {registration_id} never appeared")


def test_a_caf_fact_becomes_a_pre_registration_the_person_confirms(service, tokens, broker):
    fact = caf_fact(last_name=f"Benali-{uuid.uuid4().hex[:6]}")
    send(broker, fact)
    send(broker, fact)  # a partner resending the same fact changes nothing
    pre_id = resource_id("partner-fact", fact["id"])
    pre = wait_for(service, tokens, pre_id)
    assert pre["status"] == "pre_registered" and pre["channel"] == "partner_prefill"
    assert pre["situation"]["rsa_recipient"] is True and pre["situation"]["household"]["dependent_children"] == 2
    assert pre["address"]["departement_code"] == "44"
    listed = service.get("/v1/registrations?status=pre_registered&limit=100",
                         headers=tokens.headers("ft-agence-nantes")).json()["items"]
    assert [item["id"] for item in listed].count(pre_id) == 1

    url = f"/v1/registrations/{pre_id}/confirm"
    incomplete = service.post(url, json={}, headers=tokens.headers("departement-44", **{"If-Match": '"1"'}))
    assert incomplete.status_code == 422
    assert any(error["field"].startswith("pre_diagnostic") for error in incomplete.json()["errors"])

    since = broker.end_offsets(PERSONS.address)
    confirmation = {"pre_diagnostic": {"work_experience": "none", "project_maturity": "no_project",
                                       "availability": "immediate", "support_needed": "intensive"}}
    confirmed = service.post(url, json=confirmation, headers=tokens.headers("departement-44", **{"If-Match": '"1"'}))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "registered" and confirmed.headers["ETag"] == '"2"'
    again = service.post(url, json=confirmation, headers=tokens.headers("departement-44", **{"If-Match": '"2"'}))
    assert again.status_code == 409

    events = broker.read(PERSONS.address, since,
                         lambda ms: any(m.key.decode() == pre_id for m in ms))
    registered = [json.loads(m.value) for m in events if m.key.decode() == pre_id]
    assert [e["type"] for e in registered] == [PERSON_REGISTERED.name]
    assert registered[0]["data"]["channel"] == "partner_prefill"


def test_a_poison_fact_goes_to_the_dead_letter_topic_and_the_stream_moves_on(service, tokens, broker,
                                                                             consumer_prefix):
    dlq_since = broker.end_offsets(PARTNERS_TOPIC + ".dlq")
    garbage = f"{{not json {uuid.uuid4()}".encode()
    broker.produce(PARTNERS_TOPIC, "caf-44/garbage", garbage)
    invalid = caf_fact()
    del invalid["data"]["address"]  # violates the event schema
    send(broker, invalid)
    good = caf_fact(last_name=f"Suivant-{uuid.uuid4().hex[:6]}")
    send(broker, good)

    wait_for(service, tokens, resource_id("partner-fact", good["id"]))
    # Other consumer groups (other tests' apps) replay the topic and park the same poison: keep ours.
    poison = {garbage, json.dumps(invalid).encode()}

    def ours(messages):
        return [m for m in messages if m.value in poison
                and dict(m.headers)["dlq_consumer"].decode().startswith(consumer_prefix)]

    parked = ours(broker.read(PARTNERS_TOPIC + ".dlq", dlq_since, lambda ms: len(ours(ms)) >= 2))
    assert sorted(m.value for m in parked) == sorted(poison)
    reasons = [dict(m.headers)["dlq_reason"].decode() for m in parked]
    assert all(reason.startswith("invalid event") for reason in reasons)
    assert service.get(f"/v1/registrations/{resource_id('partner-fact', invalid['id'])}",
                       headers=tokens.headers("ft-agence-nantes")).status_code == 404
