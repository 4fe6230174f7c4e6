"""The person's contact as registration last told it: where a reminder may reach them, and where not."""
from __future__ import annotations

import re
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
        """The e-mail as given; the phone as an SMS provider takes it (E.164), None when it is not one."""
        if channel == EMAIL:
            return self.email
        return sms_number(self.phone) if self.phone else None


_SEPARATORS = re.compile(r"[\s.\-()]")
_E164 = re.compile(r"\+[1-9]\d{7,14}")


def sms_number(phone: str) -> str | None:
    """'+33 6 12 34 56 78', '06.12.34.56.78' or '0033612345678' -> '+33612345678'. People write French
    numbers nationally (a leading 0, ten digits), so such a number is taken as French."""
    digits = _SEPARATORS.sub("", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif re.fullmatch(r"0[1-9]\d{8}", digits):
        digits = "+33" + digits[1:]
    return digits if _E164.fullmatch(digits) else None
