"""RFC 9457 problem details: every 4xx/5xx of the platform says what was wrong, and nothing more.

Routes raise `Problem`; FastAPI's own errors (validation, 404, 405) are translated here so that
integrators always get the same shape, and the OpenAPI documents that shape. A 500 never carries
internal detail.
"""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.errors import (
    Conflict, DomainError, Forbidden, LimitReached, NotFound, PreconditionFailed, PreconditionRequired, RuleBroken,
)
from services.core.settings import public_api_url

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Each type URI resolves: the gateway describes every problem type at /problems/{slug}.
PROBLEM_BASE = f"{public_api_url()}/problems/"
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

log = logging.getLogger("core.problems")


class Problem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        title: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.slug = slug or self.title.lower().replace(" ", "-")
        self.errors = errors
        self.headers = headers or {}
        self.extensions = extensions

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extensions)
        return body


def problem_response(problem: Problem) -> JSONResponse:
    return JSONResponse(
        problem.body(), status_code=problem.status, headers=problem.headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _field_path(loc: tuple[Any, ...]) -> str:
    # ("body", "address", "commune_code") -> "address.commune_code"; keeps "query.limit" readable.
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_problem(errors: list[dict[str, str]]) -> Problem:
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return Problem(422, f"The request is not valid: {fields}.", slug="validation-error", errors=errors)


def pydantic_errors(raw_errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    errors = []
    for err in raw_errors:
        message = err.get("msg", "invalid value")
        if err.get("type") == "extra_forbidden":
            message = "unknown or read-only field"
        # An unparsable body is located at a character offset ("body", 12): name the body instead.
        field = "body" if err.get("type") == "json_invalid" else _field_path(tuple(err.get("loc", ())))
        errors.append({"field": field, "message": message})
    return errors


# The one translation of domain refusals to HTTP, most specific kind first.
DOMAIN_STATUSES: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404), (Forbidden, 403), (Conflict, 409), (PreconditionFailed, 412), (PreconditionRequired, 428),
    (RuleBroken, 422), (LimitReached, 429),
)


def problem_from(error: DomainError) -> Problem:
    """The problem+json of a domain refusal: its status by kind, its message as detail, the field(s)
    at fault as `errors`, its details as extension members."""
    status = next((code for kind, code in DOMAIN_STATUSES if isinstance(error, kind)), 422)
    errors = getattr(error, "errors", None) or (
        [{"field": error.field, "message": error.message}] if error.field else None)
    headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, LimitReached) else None
    return Problem(status, error.message, slug=error.slug, errors=errors, headers=headers, **error.details)


def allowed_methods(request: Request) -> str:
    """Every method served at this path. The router's own 405 names only the first route matching
    the path (GET), not the others declared for the same path (PATCH)."""
    def served(method: str) -> bool:
        probe = {"type": "http", "path": request.scope["path"], "root_path": request.scope.get("root_path", ""),
                 "method": method, "headers": []}
        return any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes)

    return ", ".join(method for method in HTTP_METHODS if served(method))


PROBLEM_SCHEMA = {
    "title": "Problem", "type": "object", "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "description": "Validation errors, one per field.", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}


def document_problems(spec: dict[str, Any]) -> dict[str, Any]:
    """Every documented 4xx/5xx is problem+json. FastAPI documents its own 422 as `application/json`
    with its HTTPValidationError schema, which this platform never sends, and not its 400 for a body
    it cannot decode."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].setdefault("400", {"description": "The body cannot be decoded (not UTF-8)."})
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return spec


def install_problem_handlers(app: FastAPI) -> None:
    generate_openapi = app.openapi
    app.openapi = lambda: document_problems(generate_openapi())

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return problem_response(problem_from(exc))

    @app.exception_handler(ValidationError)
    async def _model_validation(_: Request, exc: ValidationError) -> JSONResponse:
        # Input validated by hand in a route or service (a merged patch, a chosen format): a 422.
        return problem_response(validation_problem(pydantic_errors(list(exc.errors()))))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(pydantic_errors(list(exc.errors()))))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No resource matches this path."
        if exc.status_code == 405:
            detail = "This method is not supported on this resource; see the Allow header."
            headers["Allow"] = allowed_methods(request)
        return problem_response(Problem(exc.status_code, detail, headers=headers))

    @app.exception_handler(RecursionError)
    async def _too_deep(_: Request, exc: RecursionError) -> JSONResponse:
        # Only input nests this deep (JSON arrays in arrays…): parsing or walking it exhausted the stack.
        return problem_response(validation_problem([{"field": "body", "message": "nested too deeply"}]))

    app.add_middleware(UnexpectedErrors)  # added first, so innermost: the request context sees its 500


class UnexpectedErrors:
    """ASGI middleware: an unexpected error is logged and answered with a 500 problem+json, as a
    normal response. Starlette's own last resort answers too, then re-raises for the server to log,
    and uvicorn closes a connection whose app raised: a proxy that reuses the pooled connection
    would fail another client's request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except ClientDisconnect:
            return  # the client is gone: nobody to answer, nothing wrong on our side
        except Exception as exc:
            if started:
                raise  # a response cut short cannot be mended: the server closes the connection
            log.exception("unhandled error", exc_info=exc)
            await _unexpected_error(scope.get("state", {}).get("request_id"))(scope, receive, send)


def _unexpected_error(request_id: str | None) -> JSONResponse:
    """No internal detail; the request id the error was logged with, so the caller can quote it."""
    return problem_response(Problem(
        500, "An unexpected error occurred; it has been logged with this request's id.",
        **({"request_id": request_id} if request_id else {})))
