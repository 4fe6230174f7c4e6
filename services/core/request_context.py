"""Per-request context for services and the gateway, in one pure ASGI layer: the request id, the server
span continuing the caller's trace, the `http.server.request.duration` histogram and one JSON access line.

FastAPI's native telemetry did the span and the histogram as a layer of its own, generic (websockets,
trailers, mounted apps, log events, an active-requests counter, exemplar sampling) and ~80 µs of CPU per
request; this does what the platform reads, once (docs/performance.md, issue 10, fourth pass). The route
template still comes from FastAPI's router: it names it on the object found under `fastapi.telemetry` in
the scope (mounts and included routers' prefixes resolved), which is why that object is FastAPI's own.
A pure ASGI middleware: Starlette's `BaseHTTPMiddleware` runs the rest of the app in a task of its own and
wraps the response in a stream, which costs on every request.
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi.telemetry._api import _RequestTelemetry
from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.metrics import record_request_duration
from services.core.telemetry import request_id, tracer

access_log = logging.getLogger("access")
# A caller's id is continued when it is a plain token; anything else (control characters, bytes over
# 0x7f, a novel) would travel into every log line and every service: a fresh id replaces it.
_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,200}")
# A method outside these is measured as `_OTHER` (OpenTelemetry's HTTP conventions): a caller-chosen
# method must not make a series of its own.
_METHODS = frozenset({"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"})
_TELEMETRY_KEY = "fastapi.telemetry"  # where FastAPI's router names the matched route's template


class RequestContext:
    """X-Request-Id continued from the caller or minted, returned, and on every line logged meanwhile;
    the server span (current while the request is served, so that logs, outbox rows and calls onward
    carry its trace), the duration histogram by route template, method and status, the access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given, carrier = _read_headers(scope["headers"])
        rid = given if given and _REQUEST_ID.fullmatch(given) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = rid
        # Not reset afterwards: each request runs in a task of its own, whose context dies with it,
        # and the 500 handler, outside this middleware, logs the error with this id.
        request_id.set(rid)
        method = scope["method"] if scope["method"] in _METHODS else "_OTHER"
        parent = propagate.extract(carrier) if carrier else None
        name = "HTTP" if method == "_OTHER" else method  # the router adds the route template to it
        span = tracer("platform").start_span(name, context=parent, kind=SpanKind.SERVER,
                                             attributes={"http.request.method": method, "url.path": scope["path"]})
        routed = scope[_TELEMETRY_KEY] = _RequestTelemetry(span=span, span_method=name, data=None)
        token = context.attach(trace.set_span_in_context(span, parent))
        status = 500  # unless the app starts a response: an exception escaped it
        rid_header = (b"x-request-id", rid.encode())

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Replaces one the app set (a proxied answer carries the upstream's copy of it).
                message["headers"] = [*(h for h in message.get("headers", ()) if h[0].lower() != b"x-request-id"),
                                      rid_header]
            await send(message)

        started = time.perf_counter()
        error: BaseException | None = None
        try:
            await self.app(scope, receive, send_with_request_id)
        except BaseException as exc:
            error = exc
            raise
        finally:
            elapsed = time.perf_counter() - started
            scope.pop(_TELEMETRY_KEY, None)
            _finish(span, scope, method, routed.route, status, error, elapsed)
            context.detach(token)
            caller = scope["state"].get("caller")
            access_log.info("%s %s %s %.1fms", scope["method"], scope["path"], status, elapsed * 1000,
                            extra={"status": status, "method": scope["method"], "path": scope["path"],
                                   "client_id": caller.client_id if caller else None})


def _read_headers(headers: list[tuple[bytes, bytes]]) -> tuple[str | None, dict[str, str]]:
    """The caller's request id and trace context headers, in one pass over the raw headers."""
    given, carrier = None, {}
    for name, value in headers:
        if name == b"x-request-id":
            given = value.decode("latin-1")
        elif name in _TRACE_HEADERS:
            key = name.decode("latin-1")
            text = value.decode("latin-1")
            carrier[key] = f"{carrier[key]},{text}" if key in carrier else text  # baggage may come in pieces
    return given, carrier


# What the installed propagators read (W3C trace context and baggage by default, OTEL_PROPAGATORS otherwise).
_TRACE_HEADERS = frozenset(field.lower().encode("latin-1") for field in propagate.get_global_textmap().fields)


def _finish(span: trace.Span, scope: Scope, method: str, route: str | None, status: int,
            error: BaseException | None, elapsed: float) -> None:
    attributes = {"http.request.method": method, "url.scheme": scope.get("scheme", "http"),
                  "http.response.status_code": status}
    if route is not None:
        attributes["http.route"] = route  # on the span already: FastAPI's router put it there with its name
    span.set_attribute("http.response.status_code", status)
    if error is not None or status >= 500:
        attributes["error.type"] = _type_name(error) if error is not None else str(status)
        span.set_attribute("error.type", attributes["error.type"])
        span.set_status(StatusCode.ERROR)
    # Recorded while the span is current, as FastAPI did (an exporter may correlate the two).
    record_request_duration(elapsed, attributes)
    span.end()


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
