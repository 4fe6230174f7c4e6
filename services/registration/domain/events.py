"""Domain events raised by the aggregate; the service layer turns them into outbox messages."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    registration_id: str


@dataclass(frozen=True)
class PersonRegistered(Event):
    """The registration is complete (direct, or a confirmed pre-registration)."""


@dataclass(frozen=True)
class PersonUpdated(Event):
    """A registered person's data was corrected."""


@dataclass(frozen=True)
class ContactChanged(Event):
    """How to reach a registered person is set (at registration) or changed."""
