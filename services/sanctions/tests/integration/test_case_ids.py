"""A lapse and the case it opens are named as every created resource of the platform: from the reporter's
client and Idempotency-Key (core resource_id), so a documented example can name them and another key
names another lapse; without a key, fresh ids."""
from __future__ import annotations

import pytest

from services.core.idempotency import resource_id
from services.sanctions.service.cases import case_id_opened_by
from services.sanctions.tests.integration.test_sanctions import known_person

pytestmark = pytest.mark.integration

REFERENT = "ft-agence-nantes"


def lapse(person: str) -> dict:
    return {"person_id": person, "obligation": "carry_out_actions", "source": "referent_report",
            "evidence": "Aucune action du contrat engagée.", "occurred_at": "2026-03-01T10:00:00Z", "household_size": 1}


def test_a_reported_lapse_and_its_case_are_named_from_the_idempotency_key(service, database_url, broker, tokens):
    person = known_person(database_url, broker)
    key = f"lapse-{person}"
    reported = service.post("/v1/sanctions/lapses", json=lapse(person),
                            headers={**tokens.headers(REFERENT), "Idempotency-Key": key})
    assert reported.status_code == 201, reported.text
    lapse_id = resource_id(REFERENT, key)
    assert reported.json()["lapse_id"] == lapse_id
    assert reported.json()["case"]["id"] == case_id_opened_by(lapse_id) != lapse_id

    joined = service.post("/v1/sanctions/lapses", json={**lapse(person), "obligation": "attend_appointment"},
                          headers=tokens.headers(REFERENT))  # no key: a fresh id, joining the open case
    assert joined.status_code == 201, joined.text
    assert joined.json()["lapse_id"] not in (lapse_id, resource_id(REFERENT, None))
    assert joined.json()["case"]["id"] == case_id_opened_by(lapse_id)
