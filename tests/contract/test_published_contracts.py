"""Every service behind the gateway publishes exactly its committed contract (contracts-openapi/)."""
from __future__ import annotations

import httpx
import pytest
import yaml

from gateway.docs import published_contract
from gateway.routing import ROUTES
from tests.support.contracts import contract_path, diff, render

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.service)
def test_the_running_service_matches_its_contract(stack, route):
    committed = yaml.safe_load(contract_path(route.service).read_text(encoding="utf-8"))
    running = published_contract(httpx.get(f"{stack.services[route.service].url}/openapi.json").json(), route)
    assert running == committed, (f"{route.service} differs from its contract: run `make contracts`.\n"
                                  + diff(render(committed), render(running), contract_path(route.service).name))


def test_the_gateway_documents_every_service(stack):
    paths = httpx.get(f"{stack.url}/openapi.json").json()["paths"]
    assert {route.prefix for route in ROUTES} <= {"/" + "/".join(p.split("/")[1:3]) for p in paths}
