"""Consent per audience: nothing is published without it, and it can be withdrawn at any time.

Recorded with how and by whom it was collected (GDPR art. 7(1): the controller must be able to show
it), revocable; a revocation takes effect on the next search, and contact details already released
are not released again (`Introduction.release_contact`)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    EMPLOYERS = "employers"
    TEMP_AGENCIES = "temp_agencies"
    COUNSELLORS = "counsellors"  # the network's counsellors (France Travail, missions locales, Cap emploi…)


COLLECTION_METHODS = ("on_site", "phone", "online", "written")


@dataclass(frozen=True)
class Consent:
    audience: Audience
    method: str
    collected_by: str  # org_id of the organisation that recorded it
    granted_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoked(self, now: datetime, by_org_id: str) -> "Consent":
        return replace(self, revoked_at=now, revoked_by=by_org_id)

    def to_dict(self) -> dict[str, Any]:
        return {"audience": self.audience.value, "method": self.method, "collected_by": self.collected_by,
                "granted_at": self.granted_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None, "revoked_by": self.revoked_by}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Consent":
        return cls(Audience(data["audience"]), data["method"], data["collected_by"],
                   datetime.fromisoformat(data["granted_at"]),
                   datetime.fromisoformat(data["revoked_at"]) if data["revoked_at"] else None, data["revoked_by"])
