"""Per-request context for services and the gateway: the request id, and one JSON access line.

The server span (continuing the caller's `traceparent`, named after the route template) and the
`http.server.request.duration` histogram come from FastAPI's native OpenTelemetry support, which
wraps the whole app once `setup_telemetry` has installed the providers; this adds what it lacks.
A pure ASGI middleware: Starlette's `BaseHTTPMiddleware` (`@app.middleware("http")`) runs the rest
of the app in a task of its own and wraps the response in a stream, which costs on every request.
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.telemetry import request_id

access_log = logging.getLogger("access")
# A caller's id is continued when it is a plain token; anything else (control characters, bytes over
# 0x7f, a novel) would travel into every log line and every service: a fresh id replaces it.
_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,200}")


class RequestContext:
    """X-Request-Id continued from the caller or minted, returned, and on every line logged meanwhile."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = Headers(scope=scope).get("x-request-id", "")
        rid = given if _REQUEST_ID.fullmatch(given) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = rid
        # Not reset afterwards: each request runs in a task of its own, whose context dies with it,
        # and the 500 handler, outside this middleware, logs the error with this id.
        request_id.set(rid)
        status = 500  # unless the app starts a response: an exception escaped it

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-Id"] = rid
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            method, path, caller = scope["method"], scope["path"], scope["state"].get("caller")
            access_log.info("%s %s %s %.1fms", method, path, status, (time.perf_counter() - started) * 1000,
                            extra={"status": status, "method": method, "path": path,
                                   "client_id": caller.client_id if caller else None})
