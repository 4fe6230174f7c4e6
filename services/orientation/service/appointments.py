"""Use cases of the first appointment: slots, booking, reminders, no-shows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.core.db import UniqueKeyTaken
from services.core.errors import Forbidden, InvalidTransition, NotFound
from services.core.identity import Caller
from services.orientation.domain.appointments import NOT_BOOKED, Appointment, Slot, SlotTaken, reminder_window
from services.orientation.domain.model import DECIDED, Orientation
from services.orientation.domain.policy import may_book, may_see
from services.orientation.domain.referential import ORG_TYPES
from services.orientation.service.accesses import tell_access
from services.orientation.service.handlers import NOT_VISIBLE
from services.orientation.service.ports import OrientationUnitOfWork, Transactions
from services.orientation.service.publishing import publish_appointment

NO_SLOT = "No slot with this id."
NO_APPOINTMENT = "No appointment with this id is visible to your organisation."
NOT_YOURS = "You have no appointment with this id."
NOT_ORIENTED = "You are not oriented yet: your first appointment follows your orientation."
NO_REFERENT = "No referent organisation is decided for you yet: your first appointment follows your orientation."


def own_id(person: Caller) -> str:
    if not person.is_person:  # the routes' dependency already refused it: a second lock on the door
        raise Forbidden("Only the person themselves reaches their own appointments this way.")
    return person.person_id  # type: ignore[return-value]


def referent_org_id(orientation: Orientation | None) -> str:
    """The organisation of the person's decided orientation: whose slots they may book."""
    current = orientation.current if orientation is not None else None
    if current is None or current.status != DECIDED or current.referent is None:
        raise NotFound(NO_REFERENT)
    return current.referent.org_id


@dataclass
class AppointmentService:
    clock: Callable[[], datetime]

    def publish_slot(self, uow: OrientationUnitOfWork, caller: Caller, slot_id: str, starts_at: datetime,
                     duration_minutes: int, channel: str, location: str | None) -> Slot:
        if caller.org_type not in ORG_TYPES:
            raise Forbidden("Only organisations that accompany people publish appointment slots.")
        slot = Slot.publish(slot_id, caller.org_id, starts_at, duration_minutes, channel, location, self.clock())
        uow.appointments.add_slot(slot)
        return slot

    def slot(self, uow: OrientationUnitOfWork, slot_id: str) -> Slot:
        slot = uow.appointments.slot(slot_id)
        if slot is None:
            raise NotFound(NO_SLOT)
        return slot

    def book(self, uow: OrientationUnitOfWork, caller: Caller, appointment_id: str, person_id: str,
             slot_id: str) -> Appointment:
        orientation = uow.orientations.get(person_id, for_update=True)  # one booking at a time per person
        if orientation is None or not may_see(caller, orientation, self.clock().date()):
            raise NotFound(NOT_VISIBLE)
        if not may_book(caller, orientation):
            raise Forbidden("A counsellor of France Travail or of the referent organisation books the first appointment.")
        booked = self._book(uow, orientation, appointment_id, slot_id, caller.org_id)
        tell_access(uow.events, caller, [person_id], "book_appointment", self.clock())
        return booked

    def _book(self, uow: OrientationUnitOfWork, orientation: Orientation, appointment_id: str, slot_id: str,
              by: str) -> Appointment:
        """The one booking path, a counsellor's or the person's: the slot is claimed by a conditional
        update, so of concurrent bookings exactly one gets it (one slot, one person)."""
        now = self.clock()
        person_id = orientation.person.person_id
        appointment = Appointment.book(appointment_id, orientation.person, orientation.current,
                                       uow.appointments.slot(slot_id), uow.appointments.booked_until(person_id, now),
                                       by, now)
        if not uow.appointments.claim_slot(slot_id, appointment_id):
            raise SlotTaken()
        try:
            uow.appointments.add(appointment)
        except UniqueKeyTaken:
            raise SlotTaken() from None
        publish_appointment(uow.events, appointment)
        return appointment

    # -- the person's own (/v1/me/appointments): the person named by the token, never by the request --
    def own_appointments(self, uow: OrientationUnitOfWork, person: Caller) -> list[Appointment]:
        return uow.appointments.of_person(own_id(person))

    def referent_slots(self, uow: OrientationUnitOfWork, person: Caller, after: tuple[datetime, str] | None,
                       limit: int) -> list[Slot]:
        """The free slots still to come of the person's referent organisation."""
        referent = referent_org_id(uow.orientations.get(own_id(person)))
        return uow.appointments.slots(referent, True, self.clock(), after, limit)

    def book_own(self, uow: OrientationUnitOfWork, person: Caller, appointment_id: str, slot_id: str) -> Appointment:
        orientation = uow.orientations.get(own_id(person), for_update=True)  # one booking at a time per person
        if orientation is None:
            raise NotFound(NOT_ORIENTED)
        return self._book(uow, orientation, appointment_id, slot_id, person.org_id)

    def move_own(self, uow: OrientationUnitOfWork, person: Caller, appointment_id: str, slot_id: str) -> Appointment:
        orientation, appointment = self._own_with_orientation(uow, person, appointment_id)
        moved = appointment.move(orientation.person, uow.appointments.slot(slot_id), referent_org_id(orientation),
                                 person.org_id, self.clock())
        if not uow.appointments.move(moved, appointment.slot.slot_id):
            raise SlotTaken()
        publish_appointment(uow.events, moved)
        return moved

    def cancel_own(self, uow: OrientationUnitOfWork, person: Caller, appointment_id: str) -> Appointment:
        orientation, appointment = self._own_with_orientation(uow, person, appointment_id)
        cancelled = appointment.cancel(orientation.person, person.org_id, self.clock())
        if not uow.appointments.cancel(cancelled):
            raise InvalidTransition(NOT_BOOKED)
        publish_appointment(uow.events, cancelled)
        return cancelled

    def _own_with_orientation(self, uow: OrientationUnitOfWork, person: Caller,
                              appointment_id: str) -> tuple[Orientation, Appointment]:
        """The person's orientation, locked first as a booking locks it (one change at a time per
        person), and their appointment."""
        orientation = uow.orientations.get(own_id(person), for_update=True)
        appointment = self._own(uow, person, appointment_id)
        if orientation is None:  # an appointment follows an orientation: never met, but never guessed either
            raise NotFound(NOT_YOURS)
        return orientation, appointment

    def own_appointment(self, uow: OrientationUnitOfWork, person: Caller, appointment_id: str) -> Appointment:
        return self._own(uow, person, appointment_id, for_update=False)

    def _own(self, uow: OrientationUnitOfWork, person: Caller, appointment_id: str,
             for_update: bool = True) -> Appointment:
        """Another person's appointment is answered as unknown: one person never learns of another's."""
        appointment = uow.appointments.get(appointment_id, for_update=for_update)
        if appointment is None or appointment.person_id != own_id(person):
            raise NotFound(NOT_YOURS)
        return appointment

    def appointment(self, uow: OrientationUnitOfWork, caller: Caller, appointment_id: str) -> Appointment:
        """An organisation reads one appointment: told to the person's access log."""
        appointment = self._visible(uow, caller, appointment_id)
        tell_access(uow.events, caller, [appointment.person_id], "read_appointment", self.clock())
        return appointment

    def _visible(self, uow: OrientationUnitOfWork, caller: Caller, appointment_id: str,
                 for_update: bool = False) -> Appointment:
        appointment = uow.appointments.get(appointment_id, for_update=for_update)
        if appointment is None:
            raise NotFound(NO_APPOINTMENT)
        orientation = uow.orientations.get(appointment.person_id)
        if caller.org_id != appointment.slot.org_id and not (orientation and may_see(caller, orientation, self.clock().date())):
            raise NotFound(NO_APPOINTMENT)
        return appointment

    def record_no_show(self, uow: OrientationUnitOfWork, caller: Caller, appointment_id: str) -> Appointment:
        appointment = self._visible(uow, caller, appointment_id, for_update=True)
        if caller.org_type != "france_travail" and caller.org_id != appointment.slot.org_id:
            raise Forbidden("The organisation holding the appointment, or France Travail, records a no-show.")
        person = uow.orientations.get(appointment.person_id).person  # type: ignore[union-attr]
        missed = appointment.record_no_show(person, caller.org_id, self.clock())
        if not uow.appointments.record_no_show(missed):
            raise InvalidTransition(NOT_BOOKED)
        publish_appointment(uow.events, missed)
        tell_access(uow.events, caller, [missed.person_id], "record_no_show", self.clock())
        return missed

    def send_due_reminders(self, transactions: Transactions, now: datetime) -> int:
        """Emit the reminders due (48 h and 2 h before); each at most once, whoever runs the job."""
        with transactions() as uow:
            upcoming = uow.appointments.upcoming(now, reminder_window(now))
        sent = 0
        for appointment in upcoming:
            kind = appointment.remind(now)
            if kind is None:
                continue
            with transactions() as uow:
                if uow.appointments.claim_reminder(appointment.appointment_id, kind, now):
                    publish_appointment(uow.events, appointment)
                    sent += 1
        return sent
