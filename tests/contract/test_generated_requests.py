"""schemathesis through the gateway, with real tokens, over every published contract: no 5xx, every
response conforms, schema-violating requests are refused. Each operation is called by a demo
partner holding its scope (a counsellor agency where it can), so publishing is exercised too."""
from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from gateway.routing import ROUTES
from tests.contract.beyond_schema import refusals_are_announced
from tests.support.contracts import committed, merged
from tests.support.tokens import demo_partners

AGENCY = "ft-agence-nantes"
# Generated requests per operation: 100 over the 64 operations took 4 min 48 s on 2 cores, under
# others' load (December 2026). A deeper search before a release: CONTRACT_MAX_EXAMPLES=1000 make test.
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "100"))


def client_for(case) -> str:
    """The agency when it holds the operation's scope, else the first demo partner that does."""
    scopes = {scope for requirement in case.operation.definition.raw.get("security", [])
              for scope in requirement.get("oauth2", [])}
    partners = demo_partners()
    if scopes <= partners[AGENCY].scopes:
        return AGENCY
    return next(client for client, partner in partners.items() if scopes <= partner.scopes)


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value) -> dict:
    """Bulk uploads (offer imports) are documented as text: a generated string is sent as the file."""
    if isinstance(value, bytes):
        return {"data": value}
    return {"data": (value if isinstance(value, str) else json.dumps(value)).encode()}


# Loaded eagerly: schemathesis' lazy `from_fixture` loader reads pytest's private `_nodeid`, gone in pytest 9.
published_api = schemathesis.openapi.from_dict(merged({route.service: committed(route.service) for route in ROUTES}))
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
def test_the_api_keeps_to_its_contract_under_generated_requests(case, stack):
    case.call_and_validate(base_url=stack.url, headers={"Authorization": f"Bearer {stack.token(client_for(case))}"},
                           additional_checks=[refusals_are_announced])
