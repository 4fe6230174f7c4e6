"""The aggregated /openapi.json carries what services send as well as what they serve: the webhooks
contract's OpenAPI 3.1 `webhooks` section, with the schemas it refers to."""
from __future__ import annotations

import asyncio

import httpx
import yaml

from gateway.docs import aggregated_openapi
from gateway.routing import service_routes
from services.core.settings import REPO_ROOT

WEBHOOKS = yaml.safe_load((REPO_ROOT / "contracts-openapi" / "webhooks.v1.yaml").read_text(encoding="utf-8"))


def test_the_aggregated_contract_declares_the_webhooks_deliveries():
    served = service_routes()["webhooks"].base_url

    def answer(request: httpx.Request) -> httpx.Response:
        # The webhooks service answers its contract (the published one, which it matches); no other is up.
        if str(request.url).startswith(served):
            return httpx.Response(200, json=WEBHOOKS)
        raise httpx.ConnectError("not running", request=request)

    async def aggregate() -> dict:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await aggregated_openapi(client, {"openapi": "3.1.0", "info": {"title": "gateway"}, "paths": {}})

    spec = asyncio.run(aggregate())
    assert spec["webhooks"] == WEBHOOKS["webhooks"]
    referred = spec["webhooks"]["change"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert referred.rsplit("/", 1)[-1] in spec["components"]["schemas"]
    assert "/v1/webhooks" in spec["paths"]
