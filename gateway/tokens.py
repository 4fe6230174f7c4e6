"""Access tokens: RS256 JWTs signed by the gateway, public keys published as a JWKS."""
from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.partners import Partner
from services.core.identity import PERSON_TOKEN_USE, TokenVerifier
from services.core.scopes import Scope

TOKEN_LIFETIME_SECONDS = 900


class SigningKey:
    """One RSA key, kept in a file so tokens survive a gateway restart (local: under .data/)."""

    def __init__(self, path: Path) -> None:
        if path.exists():
            self.private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        else:
            self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.private_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            path.chmod(0o600)
        public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        self.kid = _thumbprint(public_jwk)
        self.public_jwk = {**public_jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}


def _thumbprint(jwk: dict) -> str:
    """RFC 7638 key id: stable for the same key across restarts."""
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).decode().rstrip("=")


class TokenIssuer:
    def __init__(self, key: SigningKey, issuer: str, audience: str) -> None:
        self.key = key
        self.issuer = issuer
        self.audience = audience

    def issue(self, partner: Partner, scopes: frozenset[str], lifetime: int = TOKEN_LIFETIME_SECONDS) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": self.audience, "sub": partner.client_id, "iat": now, "exp": now + lifetime,
            "jti": str(uuid.uuid4()), "org_id": partner.org_id, "org_type": partner.org_type,
            "territories": list(partner.territories), "scope": " ".join(sorted(scopes)),
        }
        claims.update({name: value for name in ("siret", "offer_source") if (value := getattr(partner, name))})
        return jwt.encode(claims, self.key.private_key, algorithm="RS256", headers={"kid": self.key.kid})

    def issue_person(self, person_id: str, lifetime: int = TOKEN_LIFETIME_SECONDS) -> str:
        """A person's own token, after their OpenID Connect login: the `me` scope, for /v1/me/... only."""
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": self.audience, "sub": person_id, "iat": now, "exp": now + lifetime,
            "jti": str(uuid.uuid4()), "token_use": PERSON_TOKEN_USE, "scope": Scope.ME.value,
        }
        return jwt.encode(claims, self.key.private_key, algorithm="RS256", headers={"kid": self.key.kid})

    def jwks(self) -> dict:
        return {"keys": [self.key.public_jwk]}

    def verifier(self) -> TokenVerifier:
        public_key = self.key.private_key.public_key()

        def key_for_token(token: str):
            if jwt.get_unverified_header(token).get("kid") != self.key.kid:
                raise jwt.InvalidTokenError("unknown signing key")
            return public_key

        return TokenVerifier(key_for_token, self.issuer, self.audience)
