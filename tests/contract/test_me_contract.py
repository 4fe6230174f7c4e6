"""me.v1.yaml is the person's whole door: exactly the /v1/me operations of every service's committed
contract, as they publish them, and the gateway's export as the code publishes it, with the schemas
these reach and no other (`python -m tests.support.contracts write me` rewrites it)."""
from __future__ import annotations

import copy

from gateway.docs import published_contract
from gateway.me_export import EXAMPLE_PART
from gateway.routing import route_for, service_routes
from tests.support.contracts import EXPORT_PATH, ME, ME_PREFIX, _export_app, referenced_schemas, committed

ME_CONTRACT = committed(ME)


def test_every_services_me_operation_is_in_the_persons_contract_as_the_service_publishes_it():
    services = {path: item for service in service_routes() for path, item in committed(service)["paths"].items()
                if path.startswith(ME_PREFIX)}
    assert services, "no service publishes a /v1/me path"
    assert {path: item for path, item in ME_CONTRACT["paths"].items() if path != EXPORT_PATH} == services


def test_the_export_is_documented_as_the_gateway_publishes_it_with_the_part_it_asks_as_that_part_shows_it():
    published = published_contract(_export_app().openapi(), route_for(EXPORT_PATH))["paths"][EXPORT_PATH]
    documented = copy.deepcopy(ME_CONTRACT["paths"][EXPORT_PATH])
    example = documented["get"]["responses"]["200"]["content"]["application/json"]["example"]
    part = ME_CONTRACT["paths"][ME_PREFIX + EXAMPLE_PART]["get"]["responses"]["200"]["content"]["application/json"]
    assert example["parts"] == {EXAMPLE_PART: part["example"]}
    example["parts"] = published["get"]["responses"]["200"]["content"]["application/json"]["example"]["parts"]
    assert documented == published
    assert documented["get"]["security"] == [{"oauth2": ["me"]}]


def test_the_persons_contract_holds_the_schemas_its_operations_reach_and_no_other():
    schemas = ME_CONTRACT["components"]["schemas"]
    assert referenced_schemas(ME_CONTRACT, schemas) == schemas
