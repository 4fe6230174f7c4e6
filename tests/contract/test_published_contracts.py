"""Every service behind the gateway publishes exactly its committed contract (contracts-openapi/),
documents an example for each operation, and the contracts join into one coherent document."""
from __future__ import annotations

import httpx
import pytest

from gateway.docs import published_contract
from gateway.routing import service_routes
from tests.contract.documented import body_example, operations, parameter_example, success
from tests.support.contracts import committed, contract_path, diff, merged, render

ROOTS = list(service_routes().values())
SERVICES = sorted(route.service for route in ROOTS)
OPERATIONS = [(service, method, path) for service in SERVICES for method, path in operations(committed(service))]


@pytest.mark.e2e
@pytest.mark.parametrize("route", ROOTS, ids=lambda route: route.service)
def test_the_running_service_matches_its_contract(stack, route):
    contract = committed(route.service)
    running = published_contract(httpx.get(f"{stack.services[route.service].url}/openapi.json").json(), route)
    assert running == contract, (f"{route.service} differs from its contract: run `make contracts`.\n"
                                 + diff(render(contract), render(running), contract_path(route.service).name))


@pytest.mark.e2e
def test_the_gateway_documents_every_service(stack):
    paths = httpx.get(f"{stack.url}/openapi.json").json()["paths"]
    assert {route.prefix for route in ROOTS} <= {"/" + "/".join(p.split("/")[1:3]) for p in paths}


def test_no_two_services_define_a_schema_of_the_same_name_differently():
    whole = merged({service: committed(service) for service in SERVICES})
    assert len(whole["paths"]) == sum(len(committed(service)["paths"]) for service in SERVICES)


@pytest.mark.parametrize("service, method, path", OPERATIONS, ids=lambda v: v if isinstance(v, str) else None)
def test_every_operation_documents_a_request_and_a_response_example(service, method, path):
    op = committed(service)["paths"][path][method]
    parameters = op.get("parameters", [])
    assert all(parameter_example(p) is not None for p in parameters if p.get("required")), "required parameter"
    if "requestBody" in op:
        assert body_example(op) is not None, "no request body example"
    elif parameters:  # without a body nor any parameter (a person's GET /v1/me/dossier), nothing to document
        assert any(parameter_example(p) is not None for p in parameters), "no parameter example"
    status, example = success(op)
    assert example is not None, f"no example for the {status} response"
