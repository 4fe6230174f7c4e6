"""The gateway as an OpenID Connect relying party: a person logs in at the identity provider
(FranceConnect, or locally deploy/local/oidc/) and gets a person token for `/v1/me/...`.

`GET /auth/login` sends the browser to the provider (authorization code, PKCE S256, `state` and
`nonce`, kept in an encrypted cookie of ten minutes and spent once: gateway/oidc_states.py).
`GET /auth/callback` exchanges the code, verifies the ID token against the provider's JWKS (issuer,
audience, nonce, expiry), reads the claims at the userinfo endpoint (as FranceConnect gives them), asks
registration whose they are (`POST /v1/registrations/identity-matches`, with a token the gateway issues
itself for the scope `identity:match`) and keeps the person token in an `HttpOnly`, `SameSite=Strict`
cookie: the browser session. On `/v1/me/...` only, the gateway accepts that cookie in place of the
Authorization header (gateway/person_session.py); every verb but GET and HEAD must then say
`X-Requested-With: personal-space` (CSRF). The provider's documents and signatures: gateway/oidc_provider.py; the
logout, which ends the provider's session too: gateway/oidc_logout.py.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from gateway.oidc_logout import Logout, install_logout
from gateway.oidc_provider import (
    DEFAULT_SCOPES, IdentityProvider, OidcSettings, provider_error, provider_json, pkce_challenge,
)
from gateway.oidc_routes import add_person_step
from gateway.oidc_states import STATE_LIFETIME_SECONDS as LOGIN_LIFETIME_SECONDS, LoginStates, derived_secret
from gateway.partners import Partner
from gateway.person_session import SESSION_COOKIE, SessionCookie, session_token  # noqa: F401  (me_export)
from gateway.tokens import TOKEN_LIFETIME_SECONDS, TokenIssuer
from services.core.problems import Problem
from services.core.scopes import Scope
from services.core.settings import public_api_url

log = logging.getLogger("gateway.oidc")

PERSONAL_SPACE = "/espace-personnel/"
LOGIN_COOKIE = "ft_oidc_login"
CALLBACK_PATH = "/auth/callback"
# The gateway's own client when it asks registration who logged in: in no partners.yaml, never at /oauth/token.
IDENTITY_MATCHER = Partner(
    client_id="gateway", client_secret="", name="The gateway, after a person's login", org_id="platform-gateway",
    org_type="france_travail", territories=(), scopes=frozenset({Scope.IDENTITY_MATCH}), rate_limit_per_minute=0)


def oidc_settings_from_env() -> OidcSettings:
    """OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_SCOPES,
    OIDC_POST_LOGOUT_REDIRECT_URI (by default /auth/logout/callback on the callback's host); the
    defaults are the local provider's (deploy/local/oidc/, `make run`)."""
    return OidcSettings(
        issuer=os.environ.get("OIDC_ISSUER", "http://127.0.0.1:8090").rstrip("/"),
        client_id=os.environ.get("OIDC_CLIENT_ID", "france-travail-gateway"),
        client_secret=os.environ.get("OIDC_CLIENT_SECRET", "demo-oidc-gateway-secret"),
        redirect_uri=os.environ.get("OIDC_REDIRECT_URI", f"{public_api_url()}{CALLBACK_PATH}"),
        scopes=os.environ.get("OIDC_SCOPES", DEFAULT_SCOPES),
        post_logout_redirect_uri=os.environ.get("OIDC_POST_LOGOUT_REDIRECT_URI", ""),
    )


class IdentityMatcher:
    """Asks registration whose identity the provider's claims describe, with the gateway's own token
    (renewed before it expires)."""

    def __init__(self, issuer: TokenIssuer) -> None:
        self.issuer = issuer
        self._token: tuple[str, float] = ("", 0.0)

    def token(self) -> str:
        token, renew_at = self._token
        if time.monotonic() >= renew_at:
            token = self.issuer.issue(IDENTITY_MATCHER, IDENTITY_MATCHER.scopes)
            self._token = (token, time.monotonic() + TOKEN_LIFETIME_SECONDS / 2)
        return token

    async def person_id(self, request: Request, claims: dict) -> str:
        url = f"{request.app.state.upstream_urls['registration']}/v1/registrations/identity-matches"
        headers = {"Authorization": f"Bearer {self.token()}", "X-Request-ID": request.state.request_id}
        try:
            answer = await request.app.state.upstream.post(url, json=match_body(claims), headers=headers)
        except httpx.HTTPError as exc:
            log.warning("registration unreachable for an identity match: %r", exc)
            raise Problem(503, "Le service des inscriptions ne répond pas ; réessayez dans quelques minutes.",
                          slug="upstream-unavailable") from exc
        if answer.status_code == 200:
            try:
                return str(answer.json()["person_id"])
            except (ValueError, KeyError, TypeError):
                log.warning("identity match answered 200 without a person id: %s", answer.text[:300])
        if answer.status_code == 404:
            raise Problem(404, "Aucune inscription ne correspond à votre identité. Contactez votre conseiller ou "
                               "votre conseillère : il ou elle vérifiera votre inscription.",
                          slug="identity-not-matched")
        if answer.status_code == 409:
            raise Problem(409, "Plusieurs inscriptions correspondent à votre identité. Contactez votre conseiller ou "
                               "votre conseillère, qui seul peut dire laquelle est la vôtre.",
                          slug="identity-ambiguous")
        log.warning("identity match answered %s: %s", answer.status_code, answer.text[:300])
        raise Problem(502, "Le service des inscriptions n'a pas pu répondre ; réessayez plus tard.",
                      slug="upstream-unavailable")


def match_body(claims: dict) -> dict:
    """FranceConnect's claims as registration's question: given names are one space-separated claim,
    the birth place is empty for a person born abroad."""
    missing = [name for name in ("family_name", "given_name", "birthdate", "birthcountry") if not claims.get(name)]
    if missing:
        raise provider_error(f"its claims lack {', '.join(missing)}")
    return {
        "family_name": claims["family_name"], "given_names": str(claims["given_name"]).split(),
        "birth_date": claims["birthdate"], "birth_place": claims.get("birthplace") or None,
        "birth_country": claims["birthcountry"],
    }


class RelyingParty:
    def __init__(self, settings: OidcSettings, issuer: TokenIssuer) -> None:
        self.settings = settings
        self.issuer = issuer
        self.provider = IdentityProvider(settings)
        self.states = LoginStates(derived_secret(issuer, b"gateway oidc login state"))
        self.matcher = IdentityMatcher(issuer)
        self.logout = Logout(settings, self.provider, issuer)

    async def login(self, request: Request) -> Response:
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        endpoint = (await self.provider.metadata(request.app.state.upstream))["authorization_endpoint"]
        query = urlencode({
            "response_type": "code", "client_id": self.settings.client_id, "redirect_uri": self.settings.redirect_uri,
            "scope": self.settings.scopes, "state": state, "nonce": nonce,
            "code_challenge": pkce_challenge(verifier), "code_challenge_method": "S256"})
        response = RedirectResponse(f"{endpoint}?{query}", status_code=302, headers={"Cache-Control": "no-store"})
        # Lax, not Strict: the provider's redirect back to the callback is a navigation from another site.
        response.set_cookie(LOGIN_COOKIE, self.states.seal(state, nonce, verifier), max_age=LOGIN_LIFETIME_SECONDS,
                            path=CALLBACK_PATH, httponly=True, samesite="lax", secure=self.settings.secure_cookies)
        return response

    async def callback(self, request: Request) -> Response:
        params = request.query_params
        login = self.states.spend(request.cookies.get(LOGIN_COOKIE), params.get("state"))
        if params.get("error"):
            raise Problem(403, "La connexion a été annulée ou refusée par le fournisseur d'identité.",
                          slug="login-refused", error=params["error"])
        if not params.get("code"):
            raise provider_error("the callback carries no code")
        claims, id_token = await self.claims(request.app.state.upstream, params["code"], login)
        person_id = await self.matcher.person_id(request, claims)
        response = RedirectResponse(PERSONAL_SPACE, status_code=303, headers={"Cache-Control": "no-store"})
        response.set_cookie(SESSION_COOKIE, self.issuer.issue_person(person_id), max_age=TOKEN_LIFETIME_SECONDS,
                            path="/", httponly=True, samesite="strict", secure=self.settings.secure_cookies)
        self.logout.keep(response, id_token)
        response.delete_cookie(LOGIN_COOKIE, path=CALLBACK_PATH)
        return response

    async def claims(self, client: httpx.AsyncClient, code: str, login: dict[str, str]) -> tuple[dict, str]:
        """The code exchanged, the ID token verified, then the claims at the userinfo endpoint, for the same
        subject; and the ID token, which the logout names to the provider."""
        metadata = await self.provider.metadata(client)
        tokens = await provider_json(
            client, "POST", metadata["token_endpoint"], auth=(self.settings.client_id, self.settings.client_secret),
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": self.settings.redirect_uri,
                  "code_verifier": login["verifier"]})
        if not tokens.get("id_token") or not tokens.get("access_token"):
            raise provider_error("its token answer lacks the ID token or the access token")
        id_claims = await self.provider.verified_id_token(client, tokens["id_token"], login["nonce"])
        userinfo = await self.provider.userinfo(client, tokens["access_token"])
        if userinfo.get("sub") != id_claims["sub"]:
            raise provider_error("its userinfo names another subject than its ID token")
        return userinfo, tokens["id_token"]


def install_oidc(app: FastAPI, issuer: TokenIssuer, settings: OidcSettings | None = None) -> RelyingParty:
    """`/auth/login`, `/auth/callback` and `/auth/logout`, and the session cookie's middleware: installed
    before the gateway's other middleware, it runs inside them (request id, body limit, CORS first)."""
    rp = RelyingParty(settings or oidc_settings_from_env(), issuer)
    app.state.relying_party = rp
    app.add_middleware(SessionCookie)

    add_person_step(app, "GET", "/auth/login", rp.login)
    add_person_step(app, "GET", CALLBACK_PATH, rp.callback, spent_cookie=LOGIN_COOKIE)
    install_logout(app, rp.logout)  # POST /auth/logout, GET /auth/logout/callback: gateway/oidc_logout.py
    return rp
