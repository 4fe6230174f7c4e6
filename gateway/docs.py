"""Published contracts: a service's OpenAPI as integrators see it behind the gateway.

`published_contract` is what `contracts-openapi/<service>.v1.yaml` holds (a test compares the
running service with it); `aggregated_openapi` merges every service's contract for `/docs`.
"""
from __future__ import annotations

import copy
import logging
from typing import Any

import httpx

from gateway.routing import ROUTES, Route, route_for, service_routes
from services.core.scopes import Scope

log = logging.getLogger("gateway.docs")

INTRO = """One entry to the France Travail network's platform. Obtain a token with the OAuth2
client-credentials grant at `POST /oauth/token`, then call `/v1/...` with `Authorization: Bearer`.
Errors are RFC 9457 `application/problem+json`; each problem `type` is explained at
[/problems](/problems). Creations honour `Idempotency-Key`; updates need `If-Match`. Lists are
cursor-paged (`limit`, `cursor` → `next_cursor`)."""
GATEWAY_URL = "http://127.0.0.1:8000"


def security_schemes() -> dict[str, Any]:
    scopes = sorted({s for r in ROUTES for s in (r.read_scope, r.write_scope)} | {Scope.ADMIN.value})
    return {"oauth2": {"type": "oauth2", "flows": {"clientCredentials": {
        "tokenUrl": "/oauth/token", "scopes": {s: s for s in scopes}}}}}


PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
RATE_LIMIT_HEADERS = {name: {"schema": {"type": "integer"}, "description": description} for name, description in (
    ("RateLimit-Limit", "Requests allowed per minute for this client."),
    ("RateLimit-Remaining", "Requests left in the current window."),
    ("RateLimit-Reset", "Seconds until the quota is full again."),
)}
GATEWAY_RESPONSES = {
    "429": {"description": "Too many requests for this client.", "content": PROBLEM_CONTENT, "headers": {
        **RATE_LIMIT_HEADERS, "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}},
    "502": {"description": "The service behind the gateway is unavailable.", "content": PROBLEM_CONTENT},
    "504": {"description": "The service behind the gateway did not answer in time.", "content": PROBLEM_CONTENT},
}
TOO_LARGE = {"413": {"description": "The request body is over 1 MiB.", "content": PROBLEM_CONTENT}}


def _too_large(route: Route) -> dict[str, Any]:
    if not route.max_body_bytes:
        return TOO_LARGE
    limit = f"{route.max_body_bytes // 2**20} MiB"
    return {"413": {"description": f"The request body is over {limit}.", "content": PROBLEM_CONTENT}}


def _behind_gateway(operation: dict[str, Any], route: Route, method: str) -> dict[str, Any]:
    """An operation as the gateway serves it: its scope, and the answers the gateway itself adds."""
    responses = {**GATEWAY_RESPONSES, **(_too_large(route) if "requestBody" in operation else {}), **operation["responses"]}
    return {**operation, "responses": responses, "security": [{"oauth2": [route.scope_for(method.upper())]}]}


def published_contract(service_spec: dict[str, Any], route: Route) -> dict[str, Any]:
    """The service's own paths under the gateway's URL, each operation secured by the scope of the
    most specific route serving it (a service may have sub-resources with scopes of their own)."""
    spec = copy.deepcopy(service_spec)
    spec["servers"] = [{"url": GATEWAY_URL, "description": "Local platform (make run)"}]
    served = {path: route_for(path) for path in spec.get("paths", {})}
    spec["paths"] = {
        path: {method: _behind_gateway(op, served[path], method) for method, op in operations.items()}
        for path, operations in spec.get("paths", {}).items()
        if served[path] is not None and served[path].service == route.service
    }
    spec.setdefault("components", {})["securitySchemes"] = security_schemes()
    return spec


async def aggregated_openapi(client: httpx.AsyncClient, gateway_spec: dict[str, Any]) -> dict[str, Any]:
    spec = {**gateway_spec, "info": {**gateway_spec["info"], "description": INTRO}}
    spec["paths"] = dict(gateway_spec.get("paths", {}))
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    components["securitySchemes"] = security_schemes()
    for route in service_routes().values():
        try:
            service_spec = (await client.get(f"{route.base_url}/openapi.json", timeout=5)).json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("%s contract unavailable: %s", route.service, exc)
            continue
        contract = published_contract(service_spec, route)
        spec["paths"].update(contract["paths"])
        schemas.update(contract["components"].get("schemas", {}))
    return spec
