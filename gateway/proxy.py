"""Forwarding a call to the service that owns its path, as received.

Headers travel as the bytes the client sent (HTTP allows any latin-1 octet in a value; decoding and
re-encoding them as text failed on the first byte over 0x7f). A request that may safely be sent
twice and meets a pooled connection the service already closed is sent once more, on a fresh one.
"""
from __future__ import annotations

import logging

import httpx
from opentelemetry import propagate
from starlette.requests import Request
from starlette.responses import Response

from gateway.routing import Route, service_routes
from services.core.problems import Problem

log = logging.getLogger("gateway")

HOP_BY_HOP = frozenset({b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te",
                        b"trailers", b"transfer-encoding", b"upgrade", b"host", b"content-length",
                        b"content-encoding", b"server", b"date"})
UPSTREAM_TIMEOUT = httpx.Timeout(connect=2.0, read=30.0, write=30.0, pool=5.0)
# Methods the services make safe to repeat; a POST is too when it carries an Idempotency-Key.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# The connection failed (closed by the service, reset, refused) rather than the service being slow.
CONNECTION_LOST = (httpx.RemoteProtocolError, httpx.ConnectError, httpx.ReadError, httpx.WriteError)
# Every /v1 answer is about people or partners: no shared cache keeps it, unless the service says otherwise.
NO_STORE = (b"cache-control", b"no-store")
# What the gateway sets itself: its request id and its own trace context.
_REPLACED = HOP_BY_HOP | {b"x-request-id"} | {field.encode() for field in propagate.get_global_textmap().fields}


def upstream_urls() -> dict[str, httpx.URL]:
    """Each service's address, read from the settings once rather than on every call."""
    return {service: httpx.URL(route.base_url) for service, route in service_routes().items()}


def upstream_clients() -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    """The pooled client every call uses, and one that never reuses a connection, for the retry."""
    pooled = httpx.AsyncClient(timeout=UPSTREAM_TIMEOUT,
                               limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
    fresh = httpx.AsyncClient(timeout=UPSTREAM_TIMEOUT, limits=httpx.Limits(max_keepalive_connections=0))
    return pooled, fresh


async def forward(request: Request, route: Route) -> Response:
    headers = _upstream_headers(request)
    # The path as received, still percent-encoded: decoding then re-encoding it would turn `%2F` into a
    # separator (and `..` segments into another path) and make control characters an invalid URL.
    query = request.scope["query_string"]
    base_url = request.app.state.upstream_urls[route.service]
    url = base_url.copy_with(raw_path=request.scope["raw_path"] + (b"?" + query if query else b""))
    # Bulk uploads go through as a stream instead of being held whole in the gateway's memory.
    streamed = route.max_body_bytes and request.method in ("POST", "PUT", "PATCH")
    content = request.stream() if streamed else await request.body()
    try:
        answer = await _send(request, url, headers, content)
    except httpx.TimeoutException as exc:
        log.warning("upstream timeout %s %s: %s", route.service, request.scope["path"], exc)
        raise Problem(504, "The service did not answer in time; retry later.", slug="upstream-timeout") from exc
    except httpx.HTTPError as exc:
        log.warning("upstream unavailable %s %s: %s", route.service, request.scope["path"], exc)
        raise Problem(502, "The service is unavailable; retry later.", slug="upstream-unavailable") from exc
    response = Response(answer.content, status_code=answer.status_code)
    kept = [(name.lower(), value) for name, value in answer.headers.raw if name.lower() not in HOP_BY_HOP]
    if not any(name == NO_STORE[0] for name, _ in kept):
        kept.append(NO_STORE)
    response.raw_headers.extend(kept)
    return response


async def _send(request: Request, url: httpx.URL, headers: list[tuple[bytes, bytes]],
                content) -> httpx.Response:
    pooled, fresh = request.app.state.upstream, request.app.state.fresh_upstream
    try:
        return await pooled.request(request.method, url, content=content, headers=headers)
    except CONNECTION_LOST:
        if not _replayable(request, content):
            raise
        return await fresh.request(request.method, url, content=content, headers=headers)


def _replayable(request: Request, content) -> bool:
    if not isinstance(content, bytes):
        return False  # a streamed body is consumed: there is nothing left to send again
    return request.method in IDEMPOTENT_METHODS or (
        request.method == "POST" and "idempotency-key" in request.headers)


def _upstream_headers(request: Request) -> list[tuple[bytes, bytes]]:
    trace: dict[str, str] = {}
    propagate.inject(trace)  # the gateway's span becomes the service's parent
    headers = [(name, value) for name, value in request.scope["headers"] if name not in _REPLACED]
    headers.append((b"x-request-id", request.state.request_id.encode()))
    headers.extend((name.encode(), value.encode()) for name, value in trace.items())
    return headers
