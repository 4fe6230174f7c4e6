"""Standard Webhooks signatures (https://www.standardwebhooks.com/): what a receiver verifies.

A secret is `whsec_` + the base64 of its random bytes; the bytes (not the text) key an HMAC-SHA256
over `<webhook-id>.<webhook-timestamp>.<body>`, sent as `v1,<base64>`. While a secret rotates, both
sign and `webhook-signature` holds both signatures separated by a space: a receiver that knows
either verifies. The timestamp is the attempt's (receivers refuse old ones), the id the delivery's
(the same on every retry, so a receiver deduplicates on it).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as random_source
from collections.abc import Callable, Iterable

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24  # the specification asks for 24 to 64 random bytes


class InvalidSecret(ValueError):
    pass


def new_secret(random_bytes: Callable[[int], bytes] = random_source.token_bytes) -> str:
    return SECRET_PREFIX + base64.b64encode(random_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret("a signing secret starts with whsec_")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except binascii.Error as exc:
        raise InvalidSecret("a signing secret's key is base64") from exc
    if len(key) < SECRET_BYTES:
        raise InvalidSecret(f"a signing secret holds at least {SECRET_BYTES} bytes")
    return key


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secrets: Iterable[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of one attempt, signed with every secret currently valid."""
    signatures = " ".join(signature(secret, message_id, timestamp, body) for secret in secrets)
    if not signatures:
        raise InvalidSecret("an endpoint always has a signing secret")
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp), "webhook-signature": signatures}
