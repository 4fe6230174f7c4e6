"""Logging out ends the person's session at the identity provider too (OpenID Connect RP-Initiated
Logout 1.0, which FranceConnect requires): otherwise, on a shared computer, the next login would go
straight back in as the same person, without a password.

The login's callback keeps the ID token (what `id_token_hint` needs) sealed (encrypted and
authenticated) in an `HttpOnly`, `SameSite=Strict` cookie sent to `/auth/logout` only: never readable
by the page's script, never sent to `/v1/...`. `POST /auth/logout` (the personal space's form; refused
when the browser says it comes from another site) drops the person's cookies and sends the browser
(303) to the provider's `end_session_endpoint` with `id_token_hint`, `post_logout_redirect_uri`
(`/auth/logout/callback`, registered with the provider) and a `state` sealed in a cookie; the provider
asks the person to confirm, then sends them back there, where the state is spent once and the
personal space opens. When the provider cannot be told (its discovery names no end_session_endpoint,
no ID token was kept, it does not answer), the platform's session ends all the same and the answer
says that the provider's did not (200: a French page for a browser, JSON otherwise).
"""
from __future__ import annotations

import base64
import logging
import secrets
from urllib.parse import urlencode

from cryptography.fernet import Fernet, InvalidToken
from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from gateway.oidc_pages import logged_out_here_only
from gateway.oidc_provider import LOGGED_OUT_PATH, IdentityProvider, OidcSettings
from gateway.oidc_routes import add_person_step
from gateway.oidc_states import STATE_LIFETIME_SECONDS, LoginStates, derived_secret
from gateway.person_session import CSRF_HEADER, CSRF_VALUE, SESSION_COOKIE
from gateway.tokens import TOKEN_LIFETIME_SECONDS, TokenIssuer
from services.core.problems import Problem

log = logging.getLogger("gateway.oidc")

LOGOUT_PATH = "/auth/logout"
ID_TOKEN_COOKIE = "ft_person_idp"
LOGOUT_COOKIE = "ft_oidc_logout"
PERSONAL_SPACE = "/espace-personnel/"
# A browser drops a cookie over 4096 bytes (name, value and attributes together): an ID token too large
# to keep is not kept, and the logout says the provider's session could not be ended.
MAX_SEALED_ID_TOKEN = 3800
# What the browser's `Sec-Fetch-Site` says of a form posted from the gateway's own page, or typed.
OWN_SITE = {"same-origin", "none"}


def logout_expired() -> Problem:
    return Problem(400, "Vous êtes bien déconnecté de la plateforme, mais le retour du fournisseur d'identité est "
                        "inconnu, expiré ou déjà utilisé : fermez votre navigateur si l'ordinateur est partagé.",
                   slug="logout-expired")


def end_session_url(endpoint: str, id_token: str, post_logout_redirect_uri: str, state: str) -> str:
    """The provider's end_session_endpoint with the logout's parameters, keeping any query it has."""
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": post_logout_redirect_uri,
                       "state": state})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def refuse_cross_site(request: Request) -> None:
    """A logout posted by a page of another site is refused (CSRF): a browser says where a request comes
    from in `Sec-Fetch-Site`; a client that does not say it (an API client) or sends the personal
    space's header is believed, as its call carries no cookie of another site's doing."""
    if request.headers.get(CSRF_HEADER) == CSRF_VALUE:
        return
    if request.headers.get("sec-fetch-site", "same-origin") not in OWN_SITE:
        raise Problem(403, "La déconnexion doit être demandée depuis votre espace personnel, pas depuis un autre "
                           "site.", slug="cross-site-request")


class IdTokenKeeper:
    """The ID token, sealed for the browser's cookie with a key of its own (gateway/oidc_states.py)."""

    def __init__(self, secret: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(secret))

    def seal(self, id_token: str) -> str | None:
        sealed = self._fernet.encrypt(id_token.encode()).decode()
        if len(sealed) > MAX_SEALED_ID_TOKEN:
            log.warning("ID token of %d bytes not kept: its cookie would be dropped", len(id_token))
            return None
        return sealed

    def open(self, sealed: str | None) -> str | None:
        try:
            return self._fernet.decrypt((sealed or "").encode(), ttl=TOKEN_LIFETIME_SECONDS).decode()
        except (InvalidToken, ValueError):
            return None


class Logout:
    def __init__(self, settings: OidcSettings, provider: IdentityProvider, issuer: TokenIssuer) -> None:
        self.settings = settings
        self.provider = provider
        self.keeper = IdTokenKeeper(derived_secret(issuer, b"gateway oidc id token"))
        self.states = LoginStates(derived_secret(issuer, b"gateway oidc logout state"), expired=logout_expired)

    def keep(self, response: Response, id_token: str) -> None:
        """At the login's callback: the ID token, for the logout only."""
        sealed = self.keeper.seal(id_token)
        if sealed is not None:
            response.set_cookie(ID_TOKEN_COOKIE, sealed, max_age=TOKEN_LIFETIME_SECONDS, path=LOGOUT_PATH,
                                httponly=True, samesite="strict", secure=self.settings.secure_cookies)

    async def start(self, request: Request) -> Response:
        refuse_cross_site(request)
        id_token = self.keeper.open(request.cookies.get(ID_TOKEN_COOKIE))
        endpoint, reason = await self.end_session_endpoint(request, id_token)
        if endpoint is None:
            response = logged_out_here_only(request, reason)
        else:
            state = secrets.token_urlsafe(32)
            response = RedirectResponse(end_session_url(endpoint, id_token, self.settings.logged_out_uri, state),
                                        status_code=303, headers={"Cache-Control": "no-store"})
            # Lax: the provider's redirect back is a navigation from another site.
            response.set_cookie(LOGOUT_COOKIE, self.states.seal(state), max_age=STATE_LIFETIME_SECONDS,
                                path=LOGGED_OUT_PATH, httponly=True, samesite="lax",
                                secure=self.settings.secure_cookies)
        self.forget(response)
        return response

    async def end_session_endpoint(self, request: Request, id_token: str | None) -> tuple[str | None, str]:
        """Where to end the provider's session, or why it cannot be (in French, for the person)."""
        if id_token is None:
            return None, "aucune connexion au fournisseur d'identité n'est connue de ce navigateur"
        try:
            endpoint = (await self.provider.metadata(request.app.state.upstream)).get("end_session_endpoint")
        except Problem:  # unreachable or unverifiable: the platform's session ends all the same
            return None, "le fournisseur d'identité ne répond pas"
        if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
            return None, "le fournisseur d'identité ne permet pas de fermer sa session depuis la plateforme"
        return endpoint, ""

    async def finish(self, request: Request) -> Response:
        """The provider's redirect back: its state spent once, then the personal space."""
        self.states.spend(request.cookies.get(LOGOUT_COOKIE), request.query_params.get("state"))
        response = RedirectResponse(PERSONAL_SPACE, status_code=303, headers={"Cache-Control": "no-store"})
        response.delete_cookie(LOGOUT_COOKIE, path=LOGGED_OUT_PATH)
        return response

    def forget(self, response: Response) -> None:
        secure = self.settings.secure_cookies
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=secure)
        response.delete_cookie(ID_TOKEN_COOKIE, path=LOGOUT_PATH, httponly=True, samesite="strict", secure=secure)


def install_logout(app: FastAPI, logout: Logout) -> None:
    add_person_step(app, "POST", LOGOUT_PATH, logout.start)
    add_person_step(app, "GET", LOGGED_OUT_PATH, logout.finish, spent_cookie=LOGOUT_COOKIE)
