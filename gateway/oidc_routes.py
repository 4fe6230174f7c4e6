"""The login's and the logout's routes share one shape: a step that may raise a `Problem`, which the
person must see as a French page (gateway/oidc_pages.py: `refusal`), never as the gateway's generic
error, and which then drops the step's one-time cookie so a retry starts clean."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from gateway.oidc_pages import refusal
from services.core.problems import Problem

Step = Callable[[Request], Awaitable[Response]]


def add_person_step(app: FastAPI, method: str, path: str, step: Step, *, spent_cookie: str | None = None) -> None:
    """Serves `step` at `path` (out of the OpenAPI: a browser's route, not an API), its refusals as
    pages; `spent_cookie`, set for `path` alone by the step before, is deleted with a refusal."""

    async def endpoint(request: Request) -> Response:
        try:
            return await step(request)
        except Problem as problem:
            response = refusal(request, problem)
            if spent_cookie is not None:
                response.delete_cookie(spent_cookie, path=path)
            return response

    app.add_api_route(path, endpoint, methods=[method], include_in_schema=False, name=step.__name__)
