"""The identity provider as the relying party sees it (gateway/oidc.py): its discovery document, its
keys, and the verification of what it signs (ID token, userinfo as a JWT). Whatever it answers that
cannot be verified is a 502 problem; a provider out of reach, a 503."""
from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
import jwt

from services.core.problems import Problem

log = logging.getLogger("gateway.oidc")

ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256"]
CLOCK_LEEWAY_SECONDS = 30
PROVIDER_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# FranceConnect's per-claim scopes: what registration's matching needs, and no more (least data).
DEFAULT_SCOPES = "openid given_name family_name birthdate birthplace birthcountry"
# Where the provider sends the browser back after a logout (gateway/oidc_logout.py).
LOGGED_OUT_PATH = "/auth/logout/callback"


@dataclass(frozen=True)
class OidcSettings:
    """The identity provider and the gateway's registration there; the real one is a setting away."""
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scopes: str = DEFAULT_SCOPES
    post_logout_redirect_uri: str = ""  # by default the callback's host, at LOGGED_OUT_PATH

    @property
    def logged_out_uri(self) -> str:
        return self.post_logout_redirect_uri or urljoin(self.redirect_uri, LOGGED_OUT_PATH)

    @property
    def secure_cookies(self) -> bool:
        return self.redirect_uri.startswith("https://")


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class IdentityProvider:
    """The provider's discovery document and keys, fetched when first needed and kept; the keys are
    fetched again when an ID token names a key id they lack (the provider rotated its key)."""

    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings
        self._metadata: dict | None = None
        self._keys: dict[str, jwt.PyJWK] = {}

    async def metadata(self, client: httpx.AsyncClient) -> dict:
        if self._metadata is None:
            document = await provider_json(client, "GET", f"{self.settings.issuer}/.well-known/openid-configuration")
            if document.get("issuer", "").rstrip("/") != self.settings.issuer:
                raise provider_error("the discovery document names another issuer")
            self._metadata = document
        return self._metadata

    async def key(self, client: httpx.AsyncClient, kid: str | None) -> jwt.PyJWK:
        if kid not in self._keys:
            jwks = await provider_json(client, "GET", (await self.metadata(client))["jwks_uri"])
            try:
                keys = jwt.PyJWKSet.from_dict(jwks).keys
            except jwt.PyJWTError as exc:
                raise provider_error("its JWKS cannot be read") from exc
            self._keys = {key.key_id: key for key in keys}
        if kid not in self._keys:
            raise provider_error("the ID token is signed with a key the provider does not publish")
        return self._keys[kid]

    async def userinfo(self, client: httpx.AsyncClient, access_token: str) -> dict:
        """The claims, as JSON or, as FranceConnect v2 answers, a JWT signed with the provider's keys."""
        answer = await provider_answer(client, "GET", (await self.metadata(client))["userinfo_endpoint"],
                                        headers={"Authorization": f"Bearer {access_token}"})
        if not answer.headers.get("content-type", "").startswith("application/jwt"):
            return provider_json_of(answer)
        return await self.verified_jwt(client, answer.text, require=["iss", "aud", "sub"])

    async def verified_jwt(self, client: httpx.AsyncClient, token: str, require: list[str]) -> dict:
        try:
            key = await self.key(client, jwt.get_unverified_header(token).get("kid"))
            return jwt.decode(token, key, algorithms=ID_TOKEN_ALGORITHMS, audience=self.settings.client_id,
                              issuer=(await self.metadata(client))["issuer"], leeway=CLOCK_LEEWAY_SECONDS,
                              options={"require": require})
        except jwt.PyJWTError as exc:
            raise provider_error(f"its signed answer is not valid ({exc})") from exc

    async def verified_id_token(self, client: httpx.AsyncClient, id_token: str, nonce: str) -> dict:
        claims = await self.verified_jwt(client, id_token, require=["iss", "aud", "exp", "iat", "sub", "nonce"])
        if not secrets.compare_digest(str(claims["nonce"]), nonce):
            raise provider_error("its ID token answers another login (nonce)")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.settings.client_id:
            raise provider_error("its ID token was issued to another client (azp)")
        return claims


async def provider_answer(client: httpx.AsyncClient, method: str, url: str, **kwargs) -> httpx.Response:
    try:
        answer = await client.request(method, url, timeout=PROVIDER_TIMEOUT, **kwargs)
    except httpx.HTTPError as exc:
        log.warning("identity provider unreachable: %s %s: %r", method, url, exc)
        raise Problem(503, "Le fournisseur d'identité ne répond pas ; réessayez dans quelques minutes.",
                      slug="identity-provider-unavailable") from exc
    if answer.status_code != 200:
        log.warning("identity provider refused %s %s: %s %s", method, url, answer.status_code, answer.text[:300])
        raise provider_error(f"it answered {answer.status_code}")
    return answer


async def provider_json(client: httpx.AsyncClient, method: str, url: str, **kwargs) -> dict:
    return provider_json_of(await provider_answer(client, method, url, **kwargs))


def provider_json_of(answer: httpx.Response) -> dict:
    try:
        document = answer.json()
    except ValueError as exc:
        raise provider_error("its answer is not JSON") from exc
    if not isinstance(document, dict):
        raise provider_error("its answer is not a JSON object")
    return document


def provider_error(reason: str) -> Problem:
    log.warning("identity provider answer refused: %s", reason)
    return Problem(502, "La réponse du fournisseur d'identité n'a pas pu être vérifiée ; recommencez la connexion.",
                   slug="identity-provider-error")
