"""A person's data accessed by a service: the fact each service emits so that the person's one
access-log timeline, kept by the dossier, shows every access wherever it happened.

Each service publishes `<service>.person.access_recorded.v1` (schema: the `access` definition of
schemas/registration.person.access_recorded.v1.json) on a topic only the dossier reads, as an
outbox event of the transaction that records the access.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from services.core.events import EventType
    from services.core.uow import EventSink

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


class Actor(Accessor, Protocol):
    """An organisation, or the person themselves (`is_person`), as `core.identity.Caller` is."""

    @property
    def is_person(self) -> bool: ...


@dataclass(frozen=True)
class AccessTeller:
    """How a service tells an organisation's accesses: its event type and, once for all its use cases,
    which action is which access (read or write) of which sections. Each call is an outbox event of the
    access's own transaction, one per person touched; the person's own accesses (/v1/me) are not told."""

    event_type: EventType
    service: str
    actions: Mapping[str, tuple[Access, tuple[str, ...]]]

    def tell(self, events: EventSink, caller: Actor, person_ids: Iterable[str], action: str, at: datetime,
             purpose: str | None = None, shown: Iterable[str] | None = None) -> None:
        """`shown`: the sections this caller was actually given, where that depends on who asks (a CAF
        reads three sections of a registration); the action's own sections otherwise."""
        if caller.is_person:
            return
        access, sections = self.actions[action]
        if shown is not None:
            sections = tuple(shown)
        for person_id in dict.fromkeys(person_ids):  # a list naming a person twice tells it once
            events.emit(self.event_type, person_id, access_recorded(
                person_id, caller, service=self.service, action=action, access=access, sections=list(sections),
                purpose=purpose, reason=None, at=at))
