"""The person's contact as registration last told it: where a reminder may reach them, and where not."""
from __future__ import annotations

from dataclasses import dataclass

EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)


@dataclass(frozen=True)
class Contact:
    person_id: str
    email: str | None
    phone: str | None
    preferred_channel: str | None
    opted_out_channels: frozenset[str]

    @classmethod
    def from_data(cls, data: dict) -> "Contact":
        """From registration.person.contact_changed.v1's data."""
        return cls(data["person_id"], data.get("email"), data.get("phone"), data.get("preferred_channel"),
                   frozenset(data.get("opted_out_channels") or ()))

    def address(self, channel: str) -> str | None:
        return self.email if channel == EMAIL else self.phone
