"""In-memory repositories and unit of work: the use cases' rules, tested without a database."""
from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from services.core.db import UniqueKeyTaken
from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.orientation.domain.appointments import BOOKED, Appointment, Slot
from services.orientation.domain.model import PROPOSED, Orientation, Person
from services.orientation.domain.referential import ReferentialVersion
from services.orientation.service.ports import OrientationUnitOfWork

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


class FakeOrientations:
    def __init__(self) -> None:
        self.stored: dict[str, Orientation] = {}

    def get(self, person_id: str, *, for_update: bool = False) -> Orientation | None:
        return copy.deepcopy(self.stored.get(person_id))

    def get_many(self, person_ids: Iterable[str], *, for_update: bool = False) -> dict[str, Orientation]:
        return {person_id: self.get(person_id) for person_id in person_ids if person_id in self.stored}

    def save(self, orientation: Orientation) -> None:
        kept = copy.deepcopy(orientation)
        kept.events.clear()
        self.stored[orientation.person.person_id] = kept

    def save_all(self, orientations: Iterable[Orientation]) -> None:
        for orientation in orientations:
            self.save(orientation)

    def overdue_proposals(self, now: datetime, limit: int = 500) -> list[str]:
        return [person_id for person_id, o in self.stored.items()
                if o.status == PROPOSED and o.decision_due_at is not None and o.decision_due_at <= now][:limit]

    def people(self, departement_code: str | None) -> Iterator[Person]:
        return (o.person for o in self.stored.values() if departement_code in (None, o.person.departement_code))


class FakeReferentials:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, int], ReferentialVersion] = {}

    def latest(self, territory: str) -> ReferentialVersion | None:
        versions = self.versions(territory, None, 1)
        return versions[0] if versions else None

    def versions(self, territory: str, before: int | None, limit: int) -> list[ReferentialVersion]:
        found = sorted((v for (t, n), v in self.stored.items() if t == territory and (before is None or n < before)),
                       key=lambda v: -v.version)
        return found[:limit]

    def territories(self) -> list[str]:
        return sorted({territory for territory, _ in self.stored})

    def add(self, version: ReferentialVersion) -> None:
        if (version.territory, version.version) in self.stored:
            raise UniqueKeyTaken()
        self.stored[(version.territory, version.version)] = version


class FakeAppointments:
    def __init__(self) -> None:
        self.slots_by_id: dict[str, Slot] = {}
        self.booked_slots: dict[str, str] = {}  # slot id -> appointment id
        self.stored: dict[str, Appointment] = {}
        self.reminders: set[tuple[str, str]] = set()

    def add_slot(self, slot: Slot) -> None:
        self.slots_by_id[slot.slot_id] = slot

    def slot(self, slot_id: str) -> Slot | None:
        slot = self.slots_by_id.get(slot_id)
        return replace(slot, available=slot_id not in self.booked_slots) if slot else None

    def slots(self, org_id: str | None, available: bool | None, starts_from: datetime | None,
              after: tuple[datetime, str] | None, limit: int) -> list[Slot]:
        every = sorted((self.slot(slot_id) for slot_id in self.slots_by_id), key=lambda s: (s.starts_at, s.slot_id))
        return [slot for slot in every if org_id in (None, slot.org_id) and available in (None, slot.available)
                and (starts_from is None or slot.starts_at >= starts_from)
                and (after is None or (slot.starts_at, slot.slot_id) > after)][:limit]

    def claim_slot(self, slot_id: str, appointment_id: str) -> bool:
        if slot_id in self.booked_slots:
            return False
        self.booked_slots[slot_id] = appointment_id
        return True

    def add(self, appointment: Appointment) -> None:
        self.stored[appointment.appointment_id] = replace(appointment, events=[])

    def get(self, appointment_id: str, *, for_update: bool = False) -> Appointment | None:
        appointment = self.stored.get(appointment_id)
        if appointment is None:
            return None
        sent = frozenset(kind for one, kind in self.reminders if one == appointment_id)
        return replace(appointment, reminders_sent=sent, events=[])

    def has_appointment(self, person_id: str) -> bool:
        return any(a.person_id == person_id for a in self.stored.values())

    def booked_until(self, person_id: str, now: datetime) -> datetime | None:
        return max((a.slot.starts_at for a in self.stored.values()
                    if a.person_id == person_id and a.status == BOOKED and a.slot.starts_at > now), default=None)

    def record_no_show(self, missed: Appointment) -> bool:
        if self.stored[missed.appointment_id].status != BOOKED:
            return False
        self.stored[missed.appointment_id] = replace(missed, events=[])
        return True

    def upcoming(self, now: datetime, until: datetime, limit: int = 1000) -> list[Appointment]:
        return [self.get(a.appointment_id) for a in sorted(self.stored.values(), key=lambda a: a.slot.starts_at)
                if a.status == BOOKED and now < a.slot.starts_at <= until][:limit]

    def of_person(self, person_id: str) -> list[Appointment]:
        mine = [a for a in self.stored.values() if a.person_id == person_id]
        return [self.get(a.appointment_id) for a in sorted(mine, key=lambda a: a.slot.starts_at, reverse=True)]

    def cancel(self, cancelled: Appointment) -> bool:
        if self.stored[cancelled.appointment_id].status != BOOKED:
            return False
        self.stored[cancelled.appointment_id] = replace(cancelled, events=[])
        self.booked_slots.pop(cancelled.slot.slot_id, None)
        return True

    def move(self, moved: Appointment, previous_slot_id: str) -> bool:
        if not self.claim_slot(moved.slot.slot_id, moved.appointment_id):
            return False
        self.booked_slots.pop(previous_slot_id, None)
        self.stored[moved.appointment_id] = replace(moved, events=[])
        self.reminders = {(one, kind) for one, kind in self.reminders if one != moved.appointment_id}
        return True

    def claim_reminder(self, appointment_id: str, kind: str, now: datetime) -> bool:
        if (appointment_id, kind) in self.reminders:
            return False
        self.reminders.add((appointment_id, kind))
        return True


def fake_unit_of_work() -> OrientationUnitOfWork:
    """Events are checked against their published schemas, as the outbox would."""
    return OrientationUnitOfWork(events=RecordedEvents(SCHEMAS), orientations=FakeOrientations(),
                                 referentials=FakeReferentials(), appointments=FakeAppointments())


def fake_transactions(uow: OrientationUnitOfWork):
    """The periodic jobs' transactions, all on the same in-memory state."""
    @contextmanager
    def transaction() -> Iterator[OrientationUnitOfWork]:
        yield uow

    return transaction
