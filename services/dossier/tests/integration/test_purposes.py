"""Purpose against relation through the API (issue 9, finding 7): a read whose purpose the caller's
relation to the person does not justify is a 403 problem+json naming `purpose`, and is not logged."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.dossier.tests.builders import DECISIONS, REGISTRATIONS, decision, registration, send, wait_for_sections
from services.dossier.tests.integration.test_shared_dossier import url

pytestmark = pytest.mark.integration

# (client, purpose) → status, for an RSA recipient of Loire-Atlantique whose referent is the Nantes mission locale.
EXPECTED = {
    ("mission-locale-nantes", "accompaniment"): 200, ("mission-locale-nantes", "control"): 403,
    ("mission-locale-nantes", "rsa_entitlement"): 403,
    ("departement-44", "rsa_entitlement"): 200, ("departement-44", "control"): 200,
    ("departement-44", "orientation"): 200, ("departement-44", "accompaniment"): 403,
    ("caf-44", "rsa_entitlement"): 200, ("caf-44", "control"): 403, ("caf-44", "orientation"): 403,
    ("ft-agence-nantes", "control"): 200, ("ft-agence-nantes", "rsa_entitlement"): 403,
}


def oriented_person(broker, database_url) -> str:
    """Its decision is dated ahead: an orientation service sharing the test broker may orient the same
    registration meanwhile, and the latest decision is the current one."""
    person_id = str(uuid.uuid4())
    send(broker, REGISTRATIONS, registration(person_id))
    send(broker, DECISIONS, decision(person_id, at=utcnow() + timedelta(days=1)))
    wait_for_sections(database_url, person_id, lambda v: {"identity", "orientation"} <= set(v))
    return person_id


def test_each_purpose_is_read_by_the_relations_that_justify_it(service, tokens, broker, database_url):
    person_id = oriented_person(broker, database_url)
    for (client, purpose), status in EXPECTED.items():
        answer = service.get(url(person_id, purpose=purpose), headers=tokens.headers(client))
        assert answer.status_code == status, (client, purpose, answer.text)
        if status == 403:
            assert answer.headers["content-type"] == "application/problem+json"
            assert [e["field"] for e in answer.json()["errors"]] == ["purpose"]
    log = service.get(url(person_id, "/access-log", "accompaniment") + "&limit=100",
                      headers=tokens.headers("mission-locale-nantes")).json()["items"]
    logged = {(e["by"]["client_id"], e["purpose"]) for e in log if e["access"] == "read"}
    assert logged == {key for key, status in EXPECTED.items() if status == 200}
