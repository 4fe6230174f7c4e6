"""One visibility rule through the gateway (issue 9, finding 1): for each demo partner and each person,
every endpoint taking a person id answers alike: the person's data, or the same 404 problem+json an
unknown id gets (services/core/person_policy.py)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.registration.tests.builders import person
from tests.support.polling import eventually
from tests.support.tokens import demo_partners

pytestmark = pytest.mark.e2e

FT, ML, DEP, CAF = "ft-agence-nantes", "mission-locale-nantes", "departement-44", "caf-44"
SLOT = "00000000-0000-4000-8000-000000000000"  # no such slot: the person is checked first

# Each endpoint taking a person id, with the scope it needs.
ENDPOINTS = {
    "registration": ("registrations:read", lambda c, p: c.get(f"/v1/registrations/{p}")),
    "orientation": ("orientation:read", lambda c, p: c.get(f"/v1/orientation/decisions/{p}")),
    "appointment": ("orientation:decide", lambda c, p: c.post("/v1/orientation/appointments",
                                                              json={"person_id": p, "slot_id": SLOT})),
    "dossier": ("dossier:read", lambda c, p: c.get(f"/v1/dossiers/{p}?purpose=orientation")),
    "saved search": ("offers:subscribe", lambda c, p: c.post("/v1/offers/subscriptions",
                                                             json={"person_id": p, "criteria": {"rome_codes": ["D1102"]}})),
    "saved searches": ("offers:subscribe", lambda c, p: c.get("/v1/offers/subscriptions", params={"person_id": p})),
}
SCOPES = {FT: {"registrations:read", "orientation:read", "orientation:decide", "dossier:read", "offers:subscribe"},
          ML: {"registrations:read", "orientation:read", "orientation:decide", "dossier:read", "offers:subscribe"},
          DEP: {"registrations:read", "orientation:read", "orientation:decide", "dossier:read"},
          CAF: {"registrations:read", "dossier:read"}}

# Who knows whom: Camille (25, RSA, Nantes), Dominique (40, Nantes), Lou (22, Angers) and an unknown id.
KNOWN = {FT: {"camille", "dominique", "lou"}, ML: {"camille"}, DEP: {"camille"}, CAF: {"camille"}}


@pytest.fixture(scope="module")
def people(stack) -> dict[str, str]:
    ft = stack.client(FT)
    bodies = {"camille": person(rsa=True, birth=date(2001, 3, 14)),
              "dominique": person(rsa=False, birth=date(1986, 5, 2)),
              "lou": person(rsa=False, birth=date(2004, 9, 1), commune_code="49007", postal_code="49000")}
    ids = {}
    for name, body in bodies.items():
        created = ft.post("/v1/registrations", json=body)
        assert created.status_code == 201, created.text
        ids[name] = created.json()["id"]
    for person_id in ids.values():  # every service has heard of every person
        eventually(lambda: ft.get(f"/v1/orientation/decisions/{person_id}"), lambda a: a.status_code == 200)
        eventually(lambda: ft.get(f"/v1/dossiers/{person_id}?purpose=orientation"), lambda a: a.status_code == 200)
        eventually(lambda: ft.get("/v1/offers/subscriptions", params={"person_id": person_id}),
                   lambda a: a.status_code == 200)
    return {**ids, "unknown": str(uuid.uuid4())}


@pytest.mark.parametrize("client", [FT, ML, DEP, CAF])
def test_every_endpoint_taking_a_person_id_answers_alike(stack, people, client):
    api = stack.client(client)
    not_found = []
    for name, person_id in people.items():
        for endpoint, (scope, call) in ENDPOINTS.items():
            if scope not in SCOPES[client]:
                continue
            answer = call(api, person_id)
            if name in KNOWN[client]:
                assert answer.status_code != 404, (client, name, endpoint, answer.text)
            else:
                assert answer.status_code == 404, (client, name, endpoint, answer.text)
                assert answer.headers["content-type"] == "application/problem+json"
                not_found.append((endpoint, answer.json()["type"], answer.json()["status"]))
    # An invisible person and an unknown id: the same problem, endpoint by endpoint.
    assert len(set(not_found)) == len({endpoint for endpoint, _, _ in not_found})


def test_a_purpose_the_relation_does_not_justify_is_refused(stack, people):
    caf = stack.client(CAF)
    camille = people["camille"]
    assert caf.get(f"/v1/dossiers/{camille}?purpose=rsa_entitlement").status_code == 200
    refused = caf.get(f"/v1/dossiers/{camille}?purpose=accompaniment")
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["purpose"]
    assert stack.client(DEP).get(f"/v1/dossiers/{camille}?purpose=control").status_code == 200
    assert stack.client(ML).get(f"/v1/dossiers/{camille}?purpose=control").status_code == 403


# Services whose rule is narrower than knowing the person (the profile bank: the referent or the
# operator manages; sanctions: referent, authority, CAF): who sees what is theirs, but whoever may not
# see a person gets exactly the 404 an unknown id gets, so that no id can be probed. (A list filtered
# by person, as sanctions cases, answers an empty page for both; its rows are the service's own tests.)
LAPSE = {"obligation": "carry_out_actions", "source": "referent_report", "evidence": "Aucune action engagée.",
         "occurred_at": "2026-11-02T10:00:00Z", "household_size": 1}
OWN_RULES = {
    "profile": ("profiles:manage", lambda c, p: c.get(f"/v1/profiles/persons/{p}")),
    "profile access log": ("profiles:manage", lambda c, p: c.get(f"/v1/profiles/persons/{p}/access-log")),
    "lapse": ("sanctions:report", lambda c, p: c.post("/v1/sanctions/lapses", json={"person_id": p, **LAPSE})),
}


def comparable(answer) -> tuple:
    """What a caller can tell from an answer (a problem's instance or request id aside)."""
    body = answer.json()
    if isinstance(body, dict):
        body = {key: value for key, value in body.items() if key not in ("instance", "request_id")}
    return answer.status_code, answer.headers["content-type"], body


@pytest.mark.parametrize("endpoint", OWN_RULES)
def test_services_with_their_own_rule_answer_the_invisible_as_the_unknown(stack, people, endpoint):
    scope, call = OWN_RULES[endpoint]
    entitled = [client for client, partner in demo_partners().items() if scope in partner.scopes]
    # Someone sees Camille once the service has heard of her: the comparison below is not vacuous.
    eventually(lambda: [call(stack.client(client), people["camille"]) for client in entitled],
               lambda answers: any(answer.status_code != 404 for answer in answers))
    for client in entitled:
        api = stack.client(client)
        unknown = call(api, people["unknown"])
        assert unknown.status_code == 404, (client, endpoint, unknown.text)
        for name in ("camille", "dominique", "lou"):
            answer = call(api, people[name])
            if answer.status_code == unknown.status_code:
                assert comparable(answer) == comparable(unknown), (client, name, endpoint)
