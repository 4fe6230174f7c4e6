"""Forwarding a call to the service that owns its path, as received.

Headers travel as the bytes the client sent (HTTP allows any latin-1 octet in a value; decoding and
re-encoding them as text failed on the first byte over 0x7f). A request that may safely be sent
twice and meets a pooled connection the service already closed is sent once more, on a fresh one.

A call with its whole body goes through the gateway's own pooled client (gateway/upstream_client.py); the rare
rest (streamed uploads, HEAD, `Expect`) and the retry on a fresh connection go through httpx.
"""
from __future__ import annotations

import logging

import httpx
from opentelemetry import propagate
from starlette.requests import Request
from starlette.responses import Response

from gateway.routing import Route, service_routes
from gateway.upstream_client import Answer, UpstreamPool
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
    """The pooled httpx client (readiness checks, the calls the gateway's own client leaves to it), and one
    that never reuses a connection, for the retry."""
    pooled = httpx.AsyncClient(timeout=UPSTREAM_TIMEOUT,
                               limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
    fresh = httpx.AsyncClient(timeout=UPSTREAM_TIMEOUT, limits=httpx.Limits(max_keepalive_connections=0))
    return pooled, fresh


def upstream_pool() -> UpstreamPool:
    """The gateway's own client, with the same limits and deadlines as the httpx one."""
    return UpstreamPool(max_connections=200, max_idle=50, connect_timeout=UPSTREAM_TIMEOUT.connect,
                        read_timeout=UPSTREAM_TIMEOUT.read, pool_timeout=UPSTREAM_TIMEOUT.pool)


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
    kept = [(name.lower(), value) for name, value in answer.raw_headers if name.lower() not in HOP_BY_HOP]
    if not any(name == NO_STORE[0] for name, _ in kept):
        kept.append(NO_STORE)
    response.raw_headers.extend(kept)
    return response


async def _send(request: Request, url: httpx.URL, headers: list[tuple[bytes, bytes]], content) -> Answer:
    state = request.app.state
    try:
        if _whole_exchange(request, content):
            # Services never compress; the httpx path asked for gzip and decoded it, this one asks for nothing.
            plain = [(name, value) for name, value in headers if name != b"accept-encoding"]
            return await state.upstream_pool.request(request.method, url, plain, content)
        return _answer(await state.upstream.request(request.method, url, content=content, headers=headers))
    except CONNECTION_LOST:
        if not _replayable(request, content):
            raise
        return _answer(await state.fresh_upstream.request(request.method, url, content=content, headers=headers))


def _whole_exchange(request: Request, content) -> bool:
    """A body in hand and one final answer with a body framed by its headers: what the gateway's client reads.
    A HEAD's answer announces a length it does not send; `Expect` may bring a 100 before the answer."""
    return isinstance(content, bytes) and request.method != "HEAD" and "expect" not in request.headers


def _answer(response: httpx.Response) -> Answer:
    return Answer(response.status_code, response.headers.raw, response.content)


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
