"""Use cases of the first appointment: slots, booking, reminders, no-shows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.core.db import UniqueKeyTaken
from services.core.errors import Forbidden, InvalidTransition, NotFound
from services.core.identity import Caller
from services.orientation.domain.appointments import NOT_BOOKED, Appointment, Slot, SlotTaken, reminder_window
from services.orientation.domain.policy import may_book, may_see
from services.orientation.domain.referential import ORG_TYPES
from services.orientation.service.handlers import NOT_VISIBLE
from services.orientation.service.ports import OrientationUnitOfWork, Transactions
from services.orientation.service.publishing import publish_appointment

NO_SLOT = "No slot with this id."
NO_APPOINTMENT = "No appointment with this id is visible to your organisation."


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
        now = self.clock()
        appointment = Appointment.book(appointment_id, orientation.person, orientation.current,
                                       uow.appointments.slot(slot_id), uow.appointments.booked_until(person_id, now),
                                       caller.org_id, now)
        if not uow.appointments.claim_slot(slot_id, appointment_id):
            raise SlotTaken()
        try:
            uow.appointments.add(appointment)
        except UniqueKeyTaken:
            raise SlotTaken() from None
        publish_appointment(uow.events, appointment)
        return appointment

    def appointment(self, uow: OrientationUnitOfWork, caller: Caller, appointment_id: str,
                    for_update: bool = False) -> Appointment:
        appointment = uow.appointments.get(appointment_id, for_update=for_update)
        if appointment is None:
            raise NotFound(NO_APPOINTMENT)
        orientation = uow.orientations.get(appointment.person_id)
        if caller.org_id != appointment.slot.org_id and not (orientation and may_see(caller, orientation, self.clock().date())):
            raise NotFound(NO_APPOINTMENT)
        return appointment

    def record_no_show(self, uow: OrientationUnitOfWork, caller: Caller, appointment_id: str) -> Appointment:
        appointment = self.appointment(uow, caller, appointment_id, for_update=True)
        if caller.org_type != "france_travail" and caller.org_id != appointment.slot.org_id:
            raise Forbidden("The organisation holding the appointment, or France Travail, records a no-show.")
        person = uow.orientations.get(appointment.person_id).person  # type: ignore[union-attr]
        missed = appointment.record_no_show(person, caller.org_id, self.clock())
        if not uow.appointments.record_no_show(missed):
            raise InvalidTransition(NOT_BOOKED)
        publish_appointment(uow.events, missed)
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
