"""A profile's pseudonym differs for each searching organisation, so two organisations cannot join
their results, and a pseudonym leaked to another organisation names nobody for it.

The pseudonym is the person id encrypted with AES-SIV (deterministic authenticated encryption, RFC
5297) under the service's secret, the organisation id as associated data: stable for one
organisation, unlinkable across organisations, and read back without a lookup table.
"""
from __future__ import annotations

import base64
import hashlib
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

PSEUDONYM_LENGTH = 52
# The secret of a local platform (make run, tests) when PROFILES_PSEUDONYM_SECRET is not set.
LOCAL_SECRET = b"local-dev-only-pseudonyms"
PSEUDONYM_PATTERN = rf"^[a-z2-7]{{{PSEUDONYM_LENGTH}}}$"


class Pseudonyms:
    def __init__(self, secret: bytes) -> None:
        self._cipher = AESSIV(hashlib.sha512(b"profiles-pseudonyms\n" + secret).digest())

    def of(self, org_id: str, person_id: str) -> str:
        sealed = self._cipher.encrypt(uuid.UUID(person_id).bytes, [org_id.encode()])
        return base64.b32encode(sealed).decode().rstrip("=").lower()

    def person(self, org_id: str, pseudonym: str) -> str | None:
        """The person behind the pseudonym, for this organisation only; None otherwise."""
        try:
            sealed = base64.b32decode(pseudonym.upper() + "====")
            return str(uuid.UUID(bytes=self._cipher.decrypt(sealed, [org_id.encode()])))
        except (ValueError, InvalidTag):
            return None
