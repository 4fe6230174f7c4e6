"""What the use cases need from storage, as ports: the SQL repositories implement them, and unit
tests use in-memory fakes."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.core.uow import UnitOfWork
from services.orientation.domain.appointments import Appointment, Slot
from services.orientation.domain.model import Orientation, Person
from services.orientation.domain.referential import ReferentialVersion


class Orientations(Protocol):
    def get(self, person_id: str, *, for_update: bool = False) -> Orientation | None: ...

    def get_many(self, person_ids: Iterable[str], *, for_update: bool = False) -> dict[str, Orientation]:
        """Those of these people who have an orientation, by person id."""

    def save(self, orientation: Orientation) -> None:
        """Write the current state and append the decisions in `orientation.events`."""

    def save_all(self, orientations: Iterable[Orientation]) -> None: ...

    def overdue_proposals(self, now: datetime, limit: int = 500) -> list[str]: ...

    def people(self, departement_code: str | None) -> Iterable[Person]: ...


class Referentials(Protocol):
    def latest(self, territory: str) -> ReferentialVersion | None: ...

    def versions(self, territory: str, before: int | None, limit: int) -> list[ReferentialVersion]: ...

    def territories(self) -> list[str]: ...

    def add(self, version: ReferentialVersion) -> None:
        """Raises `UniqueKeyTaken` when this version number is already stored."""


class Appointments(Protocol):
    def add_slot(self, slot: Slot) -> None: ...

    def slot(self, slot_id: str) -> Slot | None: ...

    def slots(self, org_id: str | None, available: bool | None, starts_from: datetime | None,
              after: tuple[datetime, str] | None, limit: int) -> list[Slot]: ...

    def claim_slot(self, slot_id: str, appointment_id: str) -> bool:
        """Book the slot if it is free; False if another booking took it."""

    def add(self, appointment: Appointment) -> None:
        """Raises `UniqueKeyTaken` if the slot already has an appointment."""

    def get(self, appointment_id: str, *, for_update: bool = False) -> Appointment | None: ...

    def has_appointment(self, person_id: str) -> bool: ...

    def booked_until(self, person_id: str, now: datetime) -> datetime | None: ...

    def record_no_show(self, missed: Appointment) -> bool:
        """False if the appointment was no longer booked."""

    def upcoming(self, now: datetime, until: datetime, limit: int = 1000) -> list[Appointment]: ...

    def of_person(self, person_id: str) -> list[Appointment]:
        """The person's appointments, the latest first."""

    def cancel(self, cancelled: Appointment) -> bool:
        """Record the cancellation and free its slot; False if the appointment was no longer booked."""

    def move(self, moved: Appointment, previous_slot_id: str) -> bool:
        """Claim the new slot, free the previous one and forget the reminders sent for the old time;
        False if another booking took the new slot first."""

    def claim_reminder(self, appointment_id: str, kind: str, now: datetime) -> bool:
        """Record a reminder as sent; False if it already was."""


@dataclass
class OrientationUnitOfWork(UnitOfWork):
    orientations: Orientations
    referentials: Referentials
    appointments: Appointments


# A new unit of work in its own transaction per call: how a periodic job works one item at a time.
Transactions = Callable[[], AbstractContextManager[OrientationUnitOfWork]]
