"""CORS: a partner's browser application may call the API from the origins the partner declared
(`cors_origins` in partners.yaml), and from no other.

A preflight carries no token, so it is answered from every partner's origins together; the actual
call carries one, and its answer allows the origin only if it is the calling partner's. Calls
without an `Origin` (servers, scripts) pass straight through.
"""
from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.partners import Partner
from services.core.problems import Problem, problem_response

ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
_METHODS = frozenset(ALLOWED_METHODS.split(", "))
ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, traceparent"
EXPOSED_HEADERS = ("ETag, Location, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, "
                   "X-Request-Id, Idempotent-Replayed")
MAX_AGE = "600"


class Cors:
    def __init__(self, app: ASGIApp, partners: dict[str, Partner]) -> None:
        self.app = app
        self.origins_of = {client_id: frozenset(p.cors_origins) for client_id, p in partners.items()}
        self.any_partner = frozenset().union(*self.origins_of.values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            return await self.app(scope, receive, send)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            return await self._preflight(origin, headers)(scope, receive, send)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and self._allows(scope, origin):
                added = MutableHeaders(scope=message)
                added["Access-Control-Allow-Origin"] = origin
                added["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
                added.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _allows(self, scope: Scope, origin: str) -> bool:
        caller = scope.get("state", {}).get("caller")
        return caller is not None and origin in self.origins_of.get(caller.client_id, ())

    def _preflight(self, origin: str, headers: Headers) -> Response:
        if origin not in self.any_partner or headers["access-control-request-method"] not in _METHODS:
            return problem_response(Problem(403, "This origin may not call the API from a browser.",
                                            slug="cors-origin-refused", headers={"Vary": "Origin"}))
        return Response(status_code=204, headers={
            "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS, "Access-Control-Max-Age": MAX_AGE, "Vary": "Origin"})
