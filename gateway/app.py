"""The gateway: the single entry of the platform (`uvicorn --factory gateway.app:create_app`).

It issues tokens (OAuth2 client credentials), checks token, scope and rate limit on every call,
routes `/v1/<service>/…` to the owning service over a pooled HTTP client, carries the request id
and trace context, and serves the aggregated contract and docs.
"""
from __future__ import annotations

import base64
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import httpx
from fastapi import FastAPI, Form, Request, Response
from fastapi.responses import JSONResponse
from opentelemetry import metrics
from starlette.concurrency import run_in_threadpool

from gateway.cors import Cors
from gateway.docs_page import install_docs
from gateway.idempotency import KeyRegistry
from gateway.lockout import TokenGuard
from gateway.oidc import install_oidc
from gateway.partners import Partner, load_partners
from gateway.personal_space import install_personal_space
from gateway.problem_pages import problems_router
from gateway.ratelimit import RateLimiter
from gateway.proxy import forward, upstream_clients, upstream_pool, upstream_urls
from gateway.routing import larger_bodies, route_for, service_routes
from gateway.tokens import TokenIssuer, SigningKey
from services.core.app import TELEMETRY, install_request_context
from services.core.db import Database
from services.core.http import BodySizeLimit
from services.core.identity import Caller, bearer_token
from services.core.memory import release_memory_when_idle
from services.core.metrics import metrics_router
from services.core.problems import Problem, install_problem_handlers, problem_response
from services.core.scopes import Scope
from services.core.settings import REPO_ROOT, ServiceSettings
from services.core.telemetry import setup_telemetry

log = logging.getLogger("gateway")

# By client and outcome ("issued" or the refusal's slug); a client id no partner holds counts as
# "unknown", so a caller cannot add series by making names up.
_token_requests = metrics.get_meter("gateway").create_counter(
    "gateway.token.requests", unit="{request}", description="Token requests, by client and outcome.")


# Open data has no client to meter: each address gets this many requests a minute.
OPEN_DATA_PER_MINUTE = int(os.environ.get("GATEWAY_OPEN_DATA_PER_MINUTE", "600"))
# A person calls through their personal space: each person gets this many requests a minute.
PERSON_PER_MINUTE = int(os.environ.get("GATEWAY_PERSON_PER_MINUTE", "120"))


def create_app(settings: ServiceSettings | None = None, partners_file: Path | None = None) -> FastAPI:
    settings = settings or ServiceSettings.from_env("gateway")
    setup_telemetry("gateway")
    release_memory_when_idle()
    partners = load_partners(partners_file or Path(os.environ.get(
        "PARTNERS_FILE", REPO_ROOT / "deploy" / "local" / "partners.yaml")))
    key_file = Path(os.environ.get("GATEWAY_KEY_FILE", REPO_ROOT / ".data" / "gateway" / "signing-key.pem"))
    issuer = TokenIssuer(SigningKey(key_file), settings.token_issuer, settings.token_audience)
    verifier = issuer.verifier()
    limiter = RateLimiter()
    guard = TokenGuard()
    keys = KeyRegistry(Database(os.environ.get("GATEWAY_DATABASE_URL", settings.database_url)))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pooled, fresh = upstream_clients()
        async with pooled, fresh:
            app.state.upstream, app.state.fresh_upstream = pooled, fresh
            app.state.upstream_pool = upstream_pool()
            app.state.upstream_urls = upstream_urls()
            yield
            await app.state.upstream_pool.aclose()
        keys.db.dispose()

    app = FastAPI(title="France Travail platform", version="1.0.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None, telemetry=TELEMETRY)
    app.state.token_issuer = issuer
    install_problem_handlers(app)
    install_oidc(app, issuer)  # a person's login (/auth/...), and their browser session on /v1/me/...
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, larger=larger_bodies())
    app.add_middleware(Cors, partners=partners)
    install_request_context(app)  # added last, so outermost: a 413 has a request id and is measured too
    app.include_router(metrics_router())

    @app.post("/oauth/token", tags=["auth"], summary="OAuth2 client credentials: get an access token")
    def token(
        request: Request,
        grant_type: Annotated[str, Form()],
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
        scope: Annotated[str | None, Form()] = None,
    ) -> JSONResponse:
        client_id, client_secret = _client_credentials(request, client_id, client_secret)
        registered = client_id if client_id in partners else None
        address = request.client.host if request.client else "unknown"
        outcome = "issued"
        try:
            guard.check(registered, address)
            answer = _issue_token(issuer, partners, grant_type, client_id, client_secret, scope)
            guard.succeeded(client_id)
            return answer
        except Problem as refusal:
            outcome = refusal.slug
            if refusal.slug == "invalid-client":
                guard.failed(registered, address)
            raise
        finally:
            _token_requests.add(1, {"client_id": client_id if client_id in partners else "unknown", "outcome": outcome})

    @app.get("/.well-known/jwks.json", tags=["auth"], summary="Public keys that verify access tokens")
    def jwks() -> dict:
        return issuer.jwks()

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz(request: Request) -> Response:
        checks = {}
        for route in service_routes().values():
            try:
                answer = await request.app.state.upstream.get(f"{route.base_url}/readyz", timeout=2)
                checks[route.service] = "ok" if answer.status_code == 200 else "not_ready"
            except httpx.HTTPError:
                checks[route.service] = "unreachable"
        failing = sorted(name for name, value in checks.items() if value != "ok")
        if failing:
            return problem_response(Problem(503, f"Not ready: {', '.join(failing)}.", slug="not-ready", checks=checks))
        return JSONResponse({"status": "ready", "checks": checks})

    install_docs(app)
    install_personal_space(app)  # before the /v1 proxy: the gateway answers /v1/me/export itself
    app.include_router(problems_router())

    @app.api_route("/open-data/{path:any_path}", methods=["GET", "HEAD"], include_in_schema=False)
    @app.api_route("/dashboards/{path:any_path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def open_data(request: Request, path: str) -> Response:
        # Public routes of the manifest: no token; the rate limit counts per address instead of per client.
        route = route_for(request.url.path)
        if route is None or not route.public:
            raise Problem(404, "No open data is published at this path; see /docs.", slug="not-found")
        address = request.client.host if request.client else "unknown"
        decision = limiter.check(f"address:{address}", OPEN_DATA_PER_MINUTE)
        if not decision.allowed:
            raise Problem(429, "Too many requests from this address; retry after the delay given.",
                          slug="rate-limited", headers=decision.headers())
        upstream = await forward(request, route)
        upstream.headers.update(decision.headers())
        return upstream

    @app.api_route("/v1/{path:any_path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                   include_in_schema=False)
    async def proxy(request: Request, path: str) -> Response:
        route = route_for(request.url.path)
        if route is None:
            raise Problem(404, "No API is published at this path; see /docs.", slug="not-found")
        caller = verifier.verify(bearer_token(request))
        request.state.caller = caller
        if caller.is_person:
            decision = limiter.check(caller.client_id, PERSON_PER_MINUTE, label="person")
        else:
            partner = partners.get(caller.client_id)
            if partner is None:
                raise Problem(401, "This client is no longer registered.", slug="unauthorized")
            decision = limiter.check(caller.client_id, partner.rate_limit_per_minute)
        if not decision.allowed:
            raise Problem(429, "Too many requests for this client; retry after the delay given.",
                          slug="rate-limited", headers=decision.headers())
        _check_scope(caller, route.scope_for(request.method), decision.headers())
        if route.served_by_gateway:  # its own route (GET /v1/me/export) did not take this verb or path
            raise Problem(404, "No operation is published at this path for this method; see /docs.",
                          slug="not-found", headers=decision.headers())
        key = request.headers.get("idempotency-key")
        if request.method == "POST" and key is not None:
            await run_in_threadpool(keys.claim, caller.client_id, key, request.method, request.scope["path"])
        upstream = await forward(request, route)
        upstream.headers.update(decision.headers())
        return upstream

    return app


def _check_scope(caller: Caller, scope: str, headers: dict[str, str]) -> None:
    """A route of scope `me` is a person's own door, and a person's token opens nothing else."""
    if caller.is_person and scope != Scope.ME:
        raise Problem(403, "A person's token opens /v1/me/... only.", slug="insufficient-scope", headers=headers)
    if scope == Scope.ME and not caller.is_person:
        raise Problem(403, "This route answers a person about their own data; it needs the person's token, "
                           "obtained by logging in at /auth/login.", slug="insufficient-scope", headers=headers)
    if not caller.has_scope(scope):
        raise Problem(403, f"This operation requires the scope '{scope}'.", slug="insufficient-scope",
                      headers=headers)


def _issue_token(issuer: TokenIssuer, partners: dict[str, Partner], grant_type: str, client_id: str | None,
                 client_secret: str | None, scope: str | None) -> JSONResponse:
    if grant_type != "client_credentials":
        raise Problem(400, "Only grant_type=client_credentials is supported.", slug="unsupported-grant-type",
                      error="unsupported_grant_type")
    partner = _authenticate(partners, client_id, client_secret)
    granted = partner.scopes
    if scope:
        asked = frozenset(scope.split())
        if not asked <= partner.scopes:
            raise Problem(400, "Some requested scopes are not granted to this client.", slug="invalid-scope",
                          error="invalid_scope")
        granted = asked
    access_token = issuer.issue(partner, granted)
    return JSONResponse(
        {"access_token": access_token, "token_type": "Bearer", "expires_in": 900,
         "scope": " ".join(sorted(granted))},
        headers={"Cache-Control": "no-store"},
    )


def _client_credentials(request: Request, client_id: str | None,
                        client_secret: str | None) -> tuple[str | None, str | None]:
    """From the form, unless HTTP Basic authentication carries them."""
    basic = request.headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        try:
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        except ValueError:
            client_id = client_secret = None
    return client_id, client_secret


def _authenticate(partners: dict[str, Partner], client_id: str | None, client_secret: str | None) -> Partner:
    partner = partners.get(client_id or "")
    if partner is None or not client_secret or not partner.secret_matches(client_secret):
        raise Problem(401, "Unknown client or wrong secret.", slug="invalid-client", error="invalid_client",
                      headers={"WWW-Authenticate": 'Basic realm="france-travail"'})
    return partner

