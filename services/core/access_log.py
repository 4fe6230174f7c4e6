"""A person's data accessed by a service: the fact each service emits so that the person's one
access-log timeline, kept by the dossier, shows every access wherever it happened.

Each service publishes `<service>.person.access_recorded.v1` (schema: the `access` definition of
schemas/registration.person.access_recorded.v1.json) on a topic only the dossier reads, as an
outbox event of the transaction that records the access.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

Access = Literal["read", "write", "refused"]


class Accessor(Protocol):
    client_id: str
    org_id: str
    org_type: str


@dataclass(frozen=True)
class Organisation:
    """Who accessed, as an event tells it (`by`)."""

    client_id: str
    org_id: str
    org_type: str


def access_recorded(person_id: str, by: Accessor, *, service: str, action: str, access: Access,
                    sections: list[str], purpose: str | None, reason: str | None, at: datetime) -> dict[str, Any]:
    """The event's data: who (organisation and client), when, what was read or attempted, and why."""
    return {
        "person_id": person_id, "at": at.isoformat(),
        "by": {"client_id": by.client_id, "org_id": by.org_id, "org_type": by.org_type},
        "service": service, "action": action, "access": access, "sections": sections, "purpose": purpose,
        "reason": reason,
    }
