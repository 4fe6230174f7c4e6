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
from services.core.settings import ServiceSettings

log = logging.getLogger("gateway.docs")

INTRO = """One entry to the France Travail network's platform. Obtain a token with the OAuth2
client-credentials grant at `POST /oauth/token`, then call `/v1/...` with `Authorization: Bearer`.
Errors are RFC 9457 `application/problem+json`; each problem `type` is explained at
[/problems](/problems). Creations honour `Idempotency-Key`; updates need `If-Match`. Lists are
cursor-paged (`limit`, `cursor` → `next_cursor`)."""
GATEWAY_URL = "http://127.0.0.1:8000"
TOKENS = ("Access tokens are JWTs signed RS256 by the gateway, following RFC8725: the algorithm is pinned when "
          "verifying, issuer and audience are checked, and a token expires 15 minutes after it is issued; ask "
          "for a new one with your client credentials (no refresh token in this grant).")
CONTACT = {"name": "France Travail network platform", "url": f"{GATEWAY_URL}/docs"}


def security_schemes() -> dict[str, Any]:
    scopes = sorted({s for r in ROUTES for s in (r.read_scope, r.write_scope) if s} | {Scope.ADMIN.value})
    return {"oauth2": {"type": "oauth2", "description": TOKENS, "flows": {"clientCredentials": {
        "tokenUrl": "/oauth/token", "scopes": {s: s for s in scopes}}}}}


PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
SECONDS = {"type": "integer", "format": "int32", "minimum": 0, "maximum": 86400}
RATE_LIMIT_HEADERS = {name: {"schema": schema, "description": description} for name, schema, description in (
    ("RateLimit-Limit", {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1_000_000},
     "Requests allowed per minute for this client."),
    ("RateLimit-Remaining", {"type": "integer", "format": "int32", "minimum": 0, "maximum": 1_000_000},
     "Requests left in the current window."),
    ("RateLimit-Reset", SECONDS, "Seconds until the quota is full again."),
)}
# On every answer, whoever gives it.
COMMON_HEADERS = {
    "X-Request-Id": {"schema": {"type": "string", "maxLength": 200}, "description": (
        "This request's id, continued from the caller's X-Request-Id or minted; quote it when reporting a problem.")},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "maxLength": 2000}, "description": (
        "Present when the request came from a browser origin the calling partner declared (CORS).")},
}
GATEWAY_RESPONSES = {
    "401": {"description": "Missing, invalid or expired access token.", "content": PROBLEM_CONTENT},
    "403": {"description": "The token lacks the scope, or your organisation may not act on this resource.",
            "content": PROBLEM_CONTENT},
    "429": {"description": "Too many requests for this client.", "content": PROBLEM_CONTENT, "headers": {
        "Retry-After": {"schema": SECONDS, "description": "Seconds to wait."}}},
    "500": {"description": "An unexpected error; it was logged with the request id given.", "content": PROBLEM_CONTENT},
    "502": {"description": "The service behind the gateway is unavailable.", "content": PROBLEM_CONTENT},
    "504": {"description": "The service behind the gateway did not answer in time.", "content": PROBLEM_CONTENT},
}
NOT_FOUND = {"404": {"description": "Unknown, or not visible to your organisation.", "content": PROBLEM_CONTENT}}
# The gateway answers these before knowing the client (no token) or reading the request (body too large):
# no rate limit applies to them yet.
UNMETERED = ("401", "413")


def _body_limit(route: Route) -> int:
    return route.max_body_bytes or ServiceSettings.max_body_bytes


def _too_large(route: Route) -> dict[str, Any]:
    limit = f"{_body_limit(route) // 2**20} MiB"
    return {"413": {"description": f"The request body is over {limit}.", "content": PROBLEM_CONTENT}}


def _with_headers(status: str, response: dict[str, Any]) -> dict[str, Any]:
    """Every answer's headers: the request id and CORS; the client's quota on each answer after the
    gateway counted the request (success or refusal alike)."""
    metered = status[0] in "24" and status not in UNMETERED
    return {**response, "headers": {**COMMON_HEADERS, **(RATE_LIMIT_HEADERS if metered else {}),
                                    **GATEWAY_RESPONSES.get(status, {}).get("headers", {}),
                                    **response.get("headers", {})}}


def _as_sent(parameter: dict[str, Any], precondition_required: bool) -> dict[str, Any]:
    """A parameter as a client sends it. FastAPI writes an optional one as `anyOf: [type, null]`,
    but a query or header parameter cannot be null, only absent (`required: false`). Where the
    operation answers 428 to an update without If-Match, the header is required for a client."""
    schema = parameter["schema"]
    variants = [variant for variant in schema.get("anyOf", []) if variant.get("type") != "null"]
    if len(variants) == 1 and len(schema["anyOf"]) == 2:
        schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **variants[0]}
    if_match = parameter["in"] == "header" and parameter["name"] == "If-Match"
    required = parameter.get("required", False) or (if_match and precondition_required)
    return {**parameter, "schema": schema, "required": required}


def _bounded_uploads(body: dict[str, Any], limit: int) -> dict[str, Any]:
    """A file sent as the body (text/csv, NDJSON) is as long as the gateway lets it be."""
    content = {media: {**item, "schema": {**item["schema"], "maxLength": limit}}
               if item.get("schema", {}).get("type") == "string" else item
               for media, item in body.get("content", {}).items()}
    return {**body, "content": content}


def _behind_gateway(operation: dict[str, Any], route: Route, method: str, path: str) -> dict[str, Any]:
    """An operation as the gateway serves it: its scope, and the answers the gateway itself adds."""
    gateway = {status: answer for status, answer in GATEWAY_RESPONSES.items()
               if not route.public or status not in ("401", "403")}  # open data: no token to refuse
    responses = {**gateway, **(NOT_FOUND if "{" in path else {}),
                 **(_too_large(route) if "requestBody" in operation else {}), **operation["responses"]}
    security = [] if route.public else [{"oauth2": [route.scope_for(method.upper())]}]
    published = {**operation, "security": security,
                 "responses": {status: _with_headers(status, answer) for status, answer in sorted(responses.items())}}
    if "parameters" in operation:
        published["parameters"] = [_as_sent(p, "428" in responses) for p in operation["parameters"]]
    if "requestBody" in operation:
        published["requestBody"] = _bounded_uploads(operation["requestBody"], _body_limit(route))
    return published


def published_contract(service_spec: dict[str, Any], route: Route) -> dict[str, Any]:
    """The service's own paths under the gateway's URL, each operation secured by the scope of the
    most specific route serving it (a service may have sub-resources with scopes of their own)."""
    spec = copy.deepcopy(service_spec)
    spec["info"]["contact"] = CONTACT
    spec["servers"] = [{"url": GATEWAY_URL, "description": "Local platform (make run)", "x-internal": False}]
    served = {path: route_for(path) for path in spec.get("paths", {})}
    spec["paths"] = {
        path: {method: _behind_gateway(op, served[path], method, path) for method, op in operations.items()}
        for path, operations in spec.get("paths", {}).items()
        if served[path] is not None and served[path].service == route.service
    }
    spec["tags"] = [{"name": tag} for tag in sorted({tag for operations in spec["paths"].values()
                                                       for op in operations.values() for tag in op.get("tags", [])})]
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
        # What a service sends rather than serves (webhooks' deliveries): OpenAPI 3.1 `webhooks`.
        spec.setdefault("webhooks", {}).update(contract.get("webhooks", {}))
        schemas.update(contract["components"].get("schemas", {}))
    if not spec["webhooks"]:
        del spec["webhooks"]
    return spec
