"""schemathesis through the gateway, with real tokens, over every published contract: no 5xx, every
response conforms, schema-violating requests are refused. Each operation is called by a demo
partner holding its scope (a counsellor agency where it can), so publishing is exercised too."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from gateway.routing import ROUTES
from tests.contract.beyond_schema import refusals_are_announced
from services.core.scopes import Scope
from services.registration.tests.builders import person
from tests.support.contracts import ME, committed, gateway_operations, merged
from tests.support.tokens import TestTokens as GatewayTokens, demo_partners

AGENCY = "ft-agence-nantes"
# Generated requests per operation: 100 over the 64 operations took 4 min 48 s on 2 cores, under
# others' load (December 2026). A deeper search before a release: CONTRACT_MAX_EXAMPLES=1000 make test.
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "100"))


def scopes_of(case) -> set[str]:
    return {scope for requirement in case.operation.definition.raw.get("security", [])
            for scope in requirement.get("oauth2", [])}


def client_for(case) -> str:
    """The agency when it holds the operation's scope, else the first demo partner that does, else the
    platform's administrator (identity:match is the gateway's own: no partner holds it)."""
    scopes = scopes_of(case)
    partners = demo_partners()
    if scopes <= partners[AGENCY].scopes:
        return AGENCY
    holders = [client for client, partner in partners.items() if scopes <= partner.scopes]
    return (holders or [client for client, partner in partners.items() if Scope.ADMIN in partner.scopes])[0]


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value) -> dict:
    """Bulk uploads (offer imports) are documented as text: a generated string is sent as the file."""
    if isinstance(value, bytes):
        return {"data": value}
    return {"data": (value if isinstance(value, str) else json.dumps(value)).encode()}


# Loaded eagerly: schemathesis' lazy `from_fixture` loader reads pytest's private `_nodeid`, gone in pytest 9.
# The person's own door (me.v1.yaml) adds the gateway's export to the services' /v1/me paths.
published_api = schemathesis.openapi.from_dict(merged(
    {**{route.service: committed(route.service) for route in ROUTES}, ME: gateway_operations(committed(ME))}))
published_api.config.generation.update(max_examples=MAX_EXAMPLES)
published_api.config.checks.update(included_check_names=["all"])
CHECKS = published_api.config.checks
# RFC 6585: 428 is the answer to an update sent without its precondition header (If-Match).
CHECKS.missing_required_header.expected_statuses = [*CHECKS.missing_required_header.expected_statuses, "428"]
# A schema-valid request may still meet the resource's state: a well-formed If-Match naming another
# version is a 412 (RFC 9110 §13.1.1), as a conflict is a 409. And it may meet a value no schema can
# judge (an INSEE code that does not exist): a 422, allowed here only on the fields the contract marks
# `x-checked-against`, which `refusals_are_announced` verifies.
CHECKS.positive_data_acceptance.expected_statuses = [*CHECKS.positive_data_acceptance.expected_statuses, "412", "422"]


@pytest.mark.e2e
@published_api.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_api_keeps_to_its_contract_under_generated_requests(case, stack, camille):
    headers = (camille.person_headers() if scopes_of(case) == {Scope.ME.value}
               else {"Authorization": f"Bearer {stack.token(client_for(case))}"})
    case.call_and_validate(base_url=stack.url, headers=headers, additional_checks=[refusals_are_announced])


@dataclass
class Person:
    """A person the stack knows, calling with their own token (as after their login): /v1/me answers with
    their data, not only 404s."""
    person_id: str
    tokens: GatewayTokens

    def person_headers(self) -> dict[str, str]:
        return self.tokens.person_headers(self.person_id)


@pytest.fixture(scope="module")
def camille(stack) -> Person:
    with stack.client(AGENCY) as agency:
        registered = agency.post("/v1/registrations", json=person())
    assert registered.status_code == 201, registered.text
    return Person(registered.json()["id"], GatewayTokens(stack.workdir / "gateway-key.pem", issuer=stack.url))
