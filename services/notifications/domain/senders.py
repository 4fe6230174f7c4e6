"""What sends a message, as the service sees it: an e-mail over SMTP, an SMS through a provider. The
adapters implement these; the tests give fakes."""
from __future__ import annotations

from typing import Protocol


class SendFailed(Exception):
    """The message did not go; `str()` says how, without the address or the text (it may be published)."""


class Mailer(Protocol):
    def send(self, message_id: str, to: str, subject: str, body: str) -> None: ...


class SmsGateway(Protocol):
    def send(self, message_id: str, to: str, text: str) -> None:
        """`message_id` is the provider's idempotency key: the same message sent twice goes out once."""
