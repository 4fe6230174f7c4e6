"""The person's browser session (issue 15): the person token kept in an `HttpOnly`, `SameSite=Strict`
cookie by the login's callback (gateway/oidc.py), which stands for the Authorization header on
/v1/me/... only. Every verb but GET and HEAD must then say `X-Requested-With: personal-space`, which a
page of another site cannot send without the gateway's CORS consent (CSRF)."""
from __future__ import annotations

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.routing import READ_METHODS
from services.core.identity import bearer_token
from services.core.problems import Problem, problem_response

SESSION_COOKIE = "ft_person_session"
CSRF_HEADER, CSRF_VALUE = "x-requested-with", "personal-space"


def is_me_path(path: str) -> bool:
    return path == "/v1/me" or path.startswith("/v1/me/")


class SessionCookie:
    """On /v1/me/... only, the browser session's cookie stands for the Authorization header: the
    request goes on with the header (to the proxy and to the gateway's own /v1/me routes alike) and
    without the cookie. An Authorization header sent with it wins (an API client). Elsewhere a
    person's page has nothing to do, and the cookie is no token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_me_path(scope["path"]):
            return await self.app(scope, receive, send)
        request = Request(scope)
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie or "authorization" in request.headers:
            return await self.app(scope, receive, send)
        if scope["method"] not in READ_METHODS and request.headers.get(CSRF_HEADER) != CSRF_VALUE:
            refused = Problem(403, f"With the browser session, every change must carry the header "
                                   f"'X-Requested-With: {CSRF_VALUE}'.", slug="csrf-header-required")
            return await problem_response(refused)(scope, receive, send)
        headers = [(name, value) for name, value in scope["headers"] if name != b"cookie"]
        headers.append((b"authorization", f"Bearer {cookie}".encode()))
        return await self.app({**scope, "headers": headers}, receive, send)


def session_token(request: Request) -> str:
    """The caller's token on /v1/me/...: the Authorization header, which `SessionCookie` set from the
    browser session's cookie when the request came with the cookie alone."""
    return bearer_token(request)
