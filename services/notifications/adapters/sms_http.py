"""SMS through a provider's HTTP API: a JSON POST to a configured URL.

The send record's id travels as the `Idempotency-Key` header: when a crash between the provider's
answer and the record's commit has the message sent again (service/sending.py), the provider sees the
same key and does not send the SMS a second time.
"""
from __future__ import annotations

import httpx

from services.notifications.domain.senders import SendFailed


class HttpSmsGateway:
    def __init__(self, url: str, token: str = "", sender: str = "", timeout_seconds: float = 15.0) -> None:
        self.url, self.sender = url, sender
        headers = {"authorization": f"Bearer {token}"} if token else {}
        # No redirects and no proxy from the environment: the URL is the provider's, as configured.
        self.client = httpx.Client(timeout=timeout_seconds, headers=headers, follow_redirects=False, trust_env=False)

    def send(self, message_id: str, to: str, text: str) -> None:
        body = {"message_id": message_id, "to": to, "text": text}
        if self.sender:
            body["from"] = self.sender
        try:
            response = self.client.post(self.url, json=body, headers={"idempotency-key": message_id})
        except httpx.HTTPError as exc:
            raise SendFailed(type(exc).__name__) from None
        if not response.is_success:
            raise SendFailed(f"http {response.status_code}")

    def close(self) -> None:
        self.client.close()
