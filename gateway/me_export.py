"""`GET /v1/me/export`: everything the platform holds about the person, as one JSON document (RGPD
articles 15 and 20, access and portability), answered by the gateway itself.

The parts are the manifest's `/v1/me/...` routes (read scope `me`), each read from the service that
owns it with the person's own token, all at once: a new service's part joins the export by its
manifest line. A part whose service fails is named unavailable in the document; the rest still comes.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
import os
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

import httpx
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from starlette.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway.ratelimit import RateLimiter
from gateway.routing import ROUTES, Route
from services.core.http import AUTH_ERRORS, documented
from services.core.identity import Caller, TokenVerifier, bearer_token, require_person
from services.core.problems import Problem
from services.core.scopes import Scope

log = logging.getLogger("gateway.me_export")

EXPORT_PATH = "/v1/me/export"
ME_PREFIX = "/v1/me/"
# Within seconds, as the issue asks: a part slower than this is named unavailable.
PART_TIMEOUT = httpx.Timeout(connect=2.0, read=10.0, write=5.0, pool=5.0)
EXPORTS_PER_MINUTE = int(os.environ.get("GATEWAY_PERSON_EXPORTS_PER_MINUTE", "10"))
# A paged part (`items` and `next_cursor`) is followed to its end, within this many pages.
MAX_PAGES = 50


class UnavailablePart(BaseModel):
    status: int | None = Field(None, ge=100, le=599, description=(
        "The service's HTTP status; absent when it did not answer."), examples=[503])
    detail: str = Field(max_length=500, examples=["The service is unavailable; retry later."])


class MyData(BaseModel):
    """Every part of the person's data, as each service answers `GET /v1/me/<part>`."""
    generated_at: datetime = Field(examples=["2026-12-07T10:30:00Z"])
    person_id: str = Field(max_length=64, examples=["0b9c2f8e-5d1a-4c3e-9f7a-2b6d8e4c1a05"])
    parts: dict[str, Any] = Field(description=(
        "One entry per part, named after its path (`registration` for /v1/me/registration): the service's "
        "answer, or null where it holds nothing about the person (404)."),
        examples=[{"registration": {"person_id": "0b9c2f8e-5d1a-4c3e-9f7a-2b6d8e4c1a05"}, "sanction-cases": None}])
    unavailable: dict[str, UnavailablePart] = Field(description=(
        "The parts that could not be read this time, and why; asking again later may bring them."),
        examples=[{"profile": {"status": 503, "detail": "The service is unavailable; retry later."}}])


# Lists about the person that their part's root does not hold, read with it when their part is served.
# (Not /v1/me/appointments/slots: the free slots are the organisation's, not the person's.)
SUB_RESOURCES = ("/v1/me/profile/interests",)


def me_parts() -> dict[str, Route]:
    """Each `/v1/me/<part>` route of the services, and their known sub-resources, by part name
    (`profile/interests` for /v1/me/profile/interests)."""
    roots = [route for route in ROUTES if route.read_scope == Scope.ME.value and route.prefix.startswith(ME_PREFIX)]
    served = {root.prefix: root for root in roots}
    subs = [replace(served[parent], prefix=path) for path in SUB_RESOURCES
            if (parent := next((prefix for prefix in served if path.startswith(prefix + "/")), None))]
    return {route.prefix.removeprefix(ME_PREFIX): route for route in (*roots, *subs)}


# The part the example asks for; the published contract (me.v1.yaml) shows that part's own example in it.
EXAMPLE_PART = "registration"
EXAMPLE = {"generated_at": "2026-12-07T10:30:00Z", "person_id": "0b9c2f8e-5d1a-4c3e-9f7a-2b6d8e4c1a05",
           "parts": {EXAMPLE_PART: {"person_id": "0b9c2f8e-5d1a-4c3e-9f7a-2b6d8e4c1a05"}}, "unavailable": {}}
EXPORT_RESPONSES = documented(200, EXAMPLE, {
    **AUTH_ERRORS, 403: "Not a person's own token.", 422: "A part asked is not one of the parts; `errors` names it.",
    429: "Too many exports for this person; retry after the delay given."})
EXPORT_RESPONSES[200].update(description="One JSON document, sent as a file to keep.", headers={
    "Content-Disposition": {"schema": {"type": "string", "maxLength": 200},
                            "description": 'attachment; filename="mes-donnees-<date>.json"'}})

# What a person may ask as a part: the manifest's, known when the gateway starts.
PartName = Literal[tuple(me_parts())] if me_parts() else Annotated[str, Field(max_length=50)]  # type: ignore[misc]


def export_router(limiter: RateLimiter | None = None) -> APIRouter:
    router = APIRouter()
    limiter = limiter or RateLimiter()

    @router.get(EXPORT_PATH, tags=["me"], summary="Download everything the platform holds about me",
                operation_id="exportMyData", response_model=MyData, responses=EXPORT_RESPONSES)
    async def export_my_data(
        request: Request, session: Annotated[tuple[Caller, str], Depends(person_session)],
        part: Annotated[list[PartName] | None, Query(  # type: ignore[valid-type]
            max_length=max(len(me_parts()), 1), description="Only these parts (repeat the parameter); all by default.",
            examples=[[EXAMPLE_PART]])] = None,
    ) -> JSONResponse:
        caller, token = session
        # Each export reads every part: a person's exports are metered apart from their other calls.
        decision = limiter.check(caller.client_id, EXPORTS_PER_MINUTE, label="person-export")
        if not decision.allowed:
            raise Problem(429, "Too many exports; retry after the delay given.", slug="rate-limited",
                          headers=decision.headers())
        document = await collect(request, caller, token, set(part) if part else None)
        filename = f"mes-donnees-{document['generated_at'][:10]}.json"
        return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                               "Cache-Control": "no-store", **decision.headers()})

    return router


async def person_session(request: Request) -> tuple[Caller, str]:
    """The person and their token (the browser session's cookie arrives as the Authorization header:
    gateway/oidc.py's SessionCookie)."""
    token = bearer_token(request)
    verifier: TokenVerifier = request.app.state.token_verifier
    caller = verifier.remembered(token) or await run_in_threadpool(verifier.verify, token)
    request.state.caller = caller
    return await require_person(caller), token


async def collect(request: Request, caller: Caller, token: str, only: set[str] | None = None) -> dict[str, Any]:
    parts = {name: route for name, route in me_parts().items() if only is None or name in only}
    answers = await asyncio.gather(*(_read_part(request, route, token) for route in parts.values()))
    document: dict[str, Any] = {"generated_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
                                "person_id": caller.person_id, "parts": {}, "unavailable": {}}
    for name, (ok, value) in zip(parts, answers):
        document["parts" if ok else "unavailable"][name] = value
    return document


async def _read_part(request: Request, route: Route, token: str) -> tuple[bool, Any]:
    """(True, the part or None when nothing is held) or (False, why it is unavailable)."""
    client: httpx.AsyncClient = request.app.state.upstream
    url = f"{request.app.state.upstream_urls[route.service]}{route.prefix}"
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": request.state.request_id}
    body: Any = None
    params: dict[str, str] = {}
    for _ in range(MAX_PAGES):
        try:
            answer = await client.get(url, params=params, headers=headers, timeout=PART_TIMEOUT)
        except httpx.HTTPError as exc:
            log.warning("export: %s unavailable: %r", route.prefix, exc)
            return False, {"status": None, "detail": "The service did not answer; retry later."}
        if answer.status_code == 404 and body is None:
            return True, None
        if answer.status_code != 200:
            return False, {"status": answer.status_code, "detail": _detail(answer)}
        try:
            page = answer.json()
        except ValueError:
            return False, {"status": answer.status_code, "detail": "The service's answer was not JSON."}
        body = _joined(body, page)
        cursor = page.get("next_cursor") if isinstance(page, dict) and isinstance(page.get("items"), list) else None
        if not cursor:
            return True, body
        params = {"cursor": cursor}
    return True, body


def _joined(body: Any, page: Any) -> Any:
    """A paged list's items, page after page, under its first page's other fields."""
    if body is None:
        return page
    return {**body, "items": [*body["items"], *page["items"]], "next_cursor": page.get("next_cursor")}


def _detail(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("detail", ""))[:500] or f"HTTP {answer.status_code}"
    except (ValueError, AttributeError):
        return f"HTTP {answer.status_code}"


def install_export(app: FastAPI) -> None:
    """The export, and a problem for any other verb or path under it (the proxy has no service to send
    them to)."""
    if getattr(app.state, "token_verifier", None) is None:
        app.state.token_verifier = app.state.token_issuer.verifier()
    app.include_router(export_router())

    @app.api_route(EXPORT_PATH, methods=["POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def other_verbs() -> None:
        raise Problem(405, "The export is read with GET.", slug="method-not-allowed", headers={"Allow": "GET, HEAD"})

    @app.api_route(EXPORT_PATH + "/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                   include_in_schema=False)
    def below() -> None:
        raise Problem(404, "No API is published at this path; see /docs.", slug="not-found")

