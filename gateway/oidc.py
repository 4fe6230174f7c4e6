"""The gateway as an OpenID Connect relying party: a person logs in at the identity provider
(FranceConnect, or locally deploy/local/oidc/) and gets a person token for `/v1/me/...`.

`GET /auth/login` sends the browser to the provider (authorization code, PKCE S256, `state` and
`nonce`, kept in an encrypted cookie of ten minutes and spent once). `GET /auth/callback` exchanges
the code, verifies the ID token against the provider's JWKS (issuer, audience, nonce, expiry), reads
the claims at the userinfo endpoint (as FranceConnect gives them), asks registration whose they are
(`POST /v1/registrations/identity-matches`, with a token the gateway issues itself for the scope
`identity:match`) and keeps the person token in an `HttpOnly`, `SameSite=Strict` cookie: the browser
session. On `/v1/me/...` only, the gateway accepts that cookie in place of the Authorization header
(gateway/person_session.py); every verb but GET and HEAD must then say `X-Requested-With:
personal-space` (CSRF). The provider's documents and signatures: gateway/oidc_provider.py.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import threading
import time
from urllib.parse import urlencode

import httpx
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from gateway.oidc_pages import refusal
from gateway.oidc_provider import (
    DEFAULT_SCOPES, IdentityProvider, OidcSettings, provider_error, provider_json, pkce_challenge,
)
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
LOGIN_LIFETIME_SECONDS = 600
# The gateway's own client when it asks registration who logged in: in no partners.yaml, never at /oauth/token.
IDENTITY_MATCHER = Partner(
    client_id="gateway", client_secret="", name="The gateway, after a person's login", org_id="platform-gateway",
    org_type="france_travail", territories=(), scopes=frozenset({Scope.IDENTITY_MATCH}), rate_limit_per_minute=0)


def oidc_settings_from_env() -> OidcSettings:
    """OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_SCOPES; the defaults are
    the local provider's (deploy/local/oidc/, `make run`)."""
    return OidcSettings(
        issuer=os.environ.get("OIDC_ISSUER", "http://127.0.0.1:8090").rstrip("/"),
        client_id=os.environ.get("OIDC_CLIENT_ID", "france-travail-gateway"),
        client_secret=os.environ.get("OIDC_CLIENT_SECRET", "demo-oidc-gateway-secret"),
        redirect_uri=os.environ.get("OIDC_REDIRECT_URI", f"{public_api_url()}{CALLBACK_PATH}"),
        scopes=os.environ.get("OIDC_SCOPES", DEFAULT_SCOPES),
    )


class LoginStates:
    """A login's `state`, `nonce` and PKCE verifier, sealed (encrypted and authenticated) in the browser's
    cookie so any gateway replica can finish the login; each state is spent once per replica, and the
    provider spends the code once."""

    def __init__(self, secret: bytes, clock=time.time) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(secret))
        self._spent: dict[str, float] = {}
        self._lock = threading.Lock()
        self.clock = clock

    def seal(self, state: str, nonce: str, verifier: str) -> str:
        payload = json.dumps({"state": state, "nonce": nonce, "verifier": verifier}).encode()
        return self._fernet.encrypt_at_time(payload, int(self.clock())).decode()

    def spend(self, sealed: str | None, state: str | None) -> dict[str, str]:
        """The login the callback finishes, once; refused if unknown, expired, another one's, or spent."""
        try:
            login = json.loads(self._fernet.decrypt_at_time(
                (sealed or "").encode(), LOGIN_LIFETIME_SECONDS, int(self.clock())))
        except (InvalidToken, ValueError):
            raise _expired() from None
        if not state or not secrets.compare_digest(login["state"], state):
            raise _expired()
        with self._lock:
            now = self.clock()
            self._spent = {s: until for s, until in self._spent.items() if until > now}
            if state in self._spent:
                raise _expired()
            self._spent[state] = now + LOGIN_LIFETIME_SECONDS
        return login


def _expired() -> Problem:
    return Problem(400, "Cette tentative de connexion est inconnue, expirée ou déjà utilisée ; recommencez depuis "
                        "/auth/login.", slug="login-expired")


def login_secret(issuer: TokenIssuer) -> bytes:
    """A key for the login cookies drawn from the gateway's signing key, which every replica shares."""
    material = issuer.key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gateway oidc login state").derive(material)


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
        self.states = LoginStates(login_secret(issuer))
        self.matcher = IdentityMatcher(issuer)

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
        claims = await self.claims(request.app.state.upstream, params["code"], login)
        person_id = await self.matcher.person_id(request, claims)
        response = RedirectResponse(PERSONAL_SPACE, status_code=303, headers={"Cache-Control": "no-store"})
        response.set_cookie(SESSION_COOKIE, self.issuer.issue_person(person_id), max_age=TOKEN_LIFETIME_SECONDS,
                            path="/", httponly=True, samesite="strict", secure=self.settings.secure_cookies)
        response.delete_cookie(LOGIN_COOKIE, path=CALLBACK_PATH)
        return response

    async def claims(self, client: httpx.AsyncClient, code: str, login: dict[str, str]) -> dict:
        """The code exchanged, the ID token verified, then the claims at the userinfo endpoint, for the same subject."""
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
        return userinfo

    def logout(self) -> Response:
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                               secure=self.settings.secure_cookies)
        return response


def install_oidc(app: FastAPI, issuer: TokenIssuer, settings: OidcSettings | None = None) -> RelyingParty:
    """`/auth/login`, `/auth/callback` and `/auth/logout`, and the session cookie's middleware: installed
    before the gateway's other middleware, it runs inside them (request id, body limit, CORS first)."""
    rp = RelyingParty(settings or oidc_settings_from_env(), issuer)
    app.state.relying_party = rp
    app.add_middleware(SessionCookie)

    @app.get("/auth/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        try:
            return await rp.login(request)
        except Problem as problem:
            return refusal(request, problem)

    @app.get(CALLBACK_PATH, include_in_schema=False)
    async def callback(request: Request) -> Response:
        try:
            return await rp.callback(request)
        except Problem as problem:
            response = refusal(request, problem)
            response.delete_cookie(LOGIN_COOKIE, path=CALLBACK_PATH)
            return response

    @app.post("/auth/logout", include_in_schema=False)
    async def logout() -> Response:
        return rp.logout()

    return rp
