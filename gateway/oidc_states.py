"""The one-time states of the browser's round trips to the identity provider (the login's, and the
logout's: gateway/oidc.py, gateway/oidc_logout.py), sealed in a cookie so that any gateway replica can
finish the trip, and spent once."""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gateway.tokens import TokenIssuer
from services.core.problems import Problem

STATE_LIFETIME_SECONDS = 600


def login_expired() -> Problem:
    return Problem(400, "Cette tentative de connexion est inconnue, expirée ou déjà utilisée ; recommencez depuis "
                        "/auth/login.", slug="login-expired")


class LoginStates:
    """A trip's `state` (and, for a login, its `nonce` and PKCE verifier), sealed (encrypted and
    authenticated) in the browser's cookie; each state is spent once per replica, and the provider
    spends its code once. `expired` is the problem a state that cannot be spent is."""

    def __init__(self, secret: bytes, clock=time.time, expired: Callable[[], Problem] = login_expired) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(secret))
        self._spent: dict[str, float] = {}
        self._lock = threading.Lock()
        self.clock = clock
        self.expired = expired

    def seal(self, state: str, nonce: str = "", verifier: str = "") -> str:
        payload = json.dumps({"state": state, "nonce": nonce, "verifier": verifier}).encode()
        return self._fernet.encrypt_at_time(payload, int(self.clock())).decode()

    def spend(self, sealed: str | None, state: str | None) -> dict[str, str]:
        """The trip the return finishes, once; refused if unknown, expired, another one's, or spent."""
        try:
            trip = json.loads(self._fernet.decrypt_at_time(
                (sealed or "").encode(), STATE_LIFETIME_SECONDS, int(self.clock())))
        except (InvalidToken, ValueError):
            raise self.expired() from None
        if not state or not secrets.compare_digest(trip["state"], state):
            raise self.expired()
        with self._lock:
            now = self.clock()
            self._spent = {s: until for s, until in self._spent.items() if until > now}
            if state in self._spent:
                raise self.expired()
            self._spent[state] = now + STATE_LIFETIME_SECONDS
        return trip


def derived_secret(issuer: TokenIssuer, purpose: bytes) -> bytes:
    """A key for one kind of cookie, drawn from the gateway's signing key, which every replica shares;
    one per purpose, so that no cookie of one kind opens as another."""
    material = issuer.key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(material)
