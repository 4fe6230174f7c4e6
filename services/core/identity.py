"""Caller identity: the verified access token, turned into who is calling and what it may do.

The gateway signs tokens; each service verifies them again against the gateway's JWKS (defence in
depth: a service reached without the gateway still refuses unauthenticated calls), then enforces
scopes here and object-level rules in its own domain.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Any, Callable

import jwt
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from services.core.problems import Problem
from services.core.scopes import Scope

log = logging.getLogger("core.identity")

ORG_TYPES = (
    "france_travail", "mission_locale", "cap_emploi", "apec", "departement", "caf",
    "region", "opco", "temp_agency", "employer", "partner",
)
# A person's token (issued by the gateway after an OpenID Connect login) says so in this claim.
PERSON_TOKEN_USE = "person"
PERSON_ORG_TYPE = "person"
QUERY_TOKEN_PARAMS = ("access_token", "token")
# Tokens remembered as verified: a partner's client reuses its token for its 15 minutes; bounded against a flood.
REMEMBERED_TOKENS = 10_000
EXPIRED = "The access token has expired; request a new one at /oauth/token."


@dataclass(frozen=True)
class Caller:
    client_id: str
    org_id: str
    org_type: str
    territories: tuple[str, ...]
    scopes: frozenset[str]
    # Optional, for publishers of job offers: the employer's SIRET, or a job board's offer source.
    siret: str | None = None
    offer_source: str | None = None
    # Set on a person's own token only: the platform id of the person logged in.
    person_id: str | None = None

    @property
    def is_admin(self) -> bool:
        """The platform's administrators: every scope, and every organisation's records."""
        return Scope.ADMIN in self.scopes

    @property
    def is_person(self) -> bool:
        return self.person_id is not None

    def has_scope(self, scope: str) -> bool:
        # `me` is a person's own door: an administrator's token does not open it.
        return scope in self.scopes or (self.is_admin and scope != Scope.ME)

    @classmethod
    def person(cls, person_id: str) -> "Caller":
        """A person about themselves: the `me` scope and nothing else, no organisation, no territory."""
        return cls(client_id=f"person:{person_id}", org_id=f"person:{person_id}", org_type=PERSON_ORG_TYPE,
                   territories=(), scopes=frozenset({Scope.ME.value}), person_id=person_id)


def unauthorized(detail: str) -> Problem:
    return Problem(401, detail, slug="unauthorized", headers={"WWW-Authenticate": 'Bearer realm="france-travail"'})


class TokenVerifier:
    """Verifies RS256 tokens against the issuer's JWKS, fetched once and refreshed on unknown kid.

    A verified token is remembered with its caller until its `exp`: the RS256 check (a few per cent of
    every call, in the gateway and again in the service) runs once per token, not once per call."""

    def __init__(self, key_for_token: Callable[[str], Any], issuer: str, audience: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.key_for_token = key_for_token
        self.issuer = issuer
        self.audience = audience
        self.clock = clock
        self._verified: dict[str, tuple[Caller, float]] = {}
        self._remembering = threading.Lock()

    @classmethod
    def from_jwks_url(cls, jwks_url: str, issuer: str, audience: str) -> "TokenVerifier":
        client = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)
        return cls(lambda token: client.get_signing_key_from_jwt(token).key, issuer, audience)

    def verify(self, token: str) -> Caller:
        return self.remembered(token) or self._verify_and_remember(token)

    def remembered(self, token: str) -> Caller | None:
        """The caller of a token verified before, None if it was not; no I/O, no signature check."""
        known = self._verified.get(token)
        if known is None:
            return None
        caller, expires_at = known
        if self.clock() >= expires_at:
            self._verified.pop(token, None)
            raise unauthorized(EXPIRED)
        return caller

    def _verify_and_remember(self, token: str) -> Caller:
        claims = self._verified_claims(token)
        caller = caller_from_claims(claims)
        with self._remembering:
            if len(self._verified) >= REMEMBERED_TOKENS:
                self._forget_oldest()
            self._verified[token] = (caller, float(claims["exp"]))
        return caller

    def _forget_oldest(self) -> None:
        """The expired, and if that is not enough the oldest half (dicts keep insertion order)."""
        now = self.clock()
        for token in [token for token, (_, expires_at) in self._verified.items() if expires_at <= now]:
            del self._verified[token]
        for token in list(self._verified)[:len(self._verified) - REMEMBERED_TOKENS // 2]:
            del self._verified[token]

    def _verified_claims(self, token: str) -> dict:
        try:
            key = self.key_for_token(token)
            return jwt.decode(
                token, key, algorithms=["RS256"], audience=self.audience, issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise unauthorized(EXPIRED) from exc
        except jwt.InvalidAudienceError as exc:
            raise unauthorized("The access token was not issued for this platform (audience).") from exc
        except jwt.PyJWKClientConnectionError as exc:
            log.error("cannot fetch signing keys: %s", exc)
            raise Problem(503, "Token signing keys are unavailable; retry shortly.", slug="keys-unavailable") from exc
        except jwt.PyJWTError as exc:
            raise unauthorized("The access token is not valid.") from exc


def caller_from_claims(claims: dict) -> Caller:
    scopes = frozenset(str(claims.get("scope", "")).split())
    if claims.get("token_use") == PERSON_TOKEN_USE:
        if scopes != {Scope.ME.value} or not str(claims["sub"]).strip():
            raise unauthorized("A person's access token carries the scope 'me' and a person id, nothing else.")
        return Caller.person(str(claims["sub"]))
    if claims.get("org_type") not in ORG_TYPES or not claims.get("org_id"):
        raise unauthorized("The access token does not name a known organisation.")
    if Scope.ME.value in scopes:
        raise unauthorized("An organisation's access token cannot carry the scope 'me'.")
    return Caller(
        client_id=str(claims["sub"]),
        org_id=str(claims["org_id"]),
        org_type=str(claims["org_type"]),
        territories=tuple(claims.get("territories") or ()),
        scopes=scopes,
        siret=_optional(claims.get("siret")),
        offer_source=_optional(claims.get("offer_source")),
    )


def _optional(value: object) -> str | None:
    return str(value) if value else None


def bearer_token(request: Request) -> str:
    if any(p in request.query_params for p in QUERY_TOKEN_PARAMS):
        raise unauthorized("Access tokens are not accepted in the query string; use the Authorization header.")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("A bearer access token is required (Authorization: Bearer <token>).")
    return token.strip()


async def current_caller(request: Request) -> Caller:
    """Async, as a sync dependency costs a worker thread hop per call: a token seen before is known
    at once; a new one is verified in a thread, as fetching the signing keys blocks."""
    verifier: TokenVerifier = request.app.state.token_verifier
    token = bearer_token(request)
    caller = verifier.remembered(token) or await run_in_threadpool(verifier.verify, token)
    request.state.caller = caller
    return caller


def require_scope(scope: str):
    """FastAPI dependency: the verified caller, provided its token carries `scope`."""

    async def dependency(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
        if not caller.has_scope(scope):
            raise Problem(403, f"This operation requires the scope '{scope}'.", slug="insufficient-scope")
        return caller

    return dependency


async def require_person(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    """FastAPI dependency of the /v1/me/... routes: a person's own token, whatever an organisation holds."""
    if not caller.is_person:
        raise Problem(403, "This route answers a person about their own data; it needs the person's token, "
                           "obtained by logging in at /auth/login.", slug="insufficient-scope")
    return caller


PersonCaller = Annotated[Caller, Depends(require_person)]
