"""Use cases of the first appointment: slots, booking, reminders, no-shows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.core.db import Database, UniqueKeyTaken
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.orientation.adapters.repository import OrientationRepository
from services.orientation.domain.appointments import (
    BOOKED, Appointment, Slot, already_booked, booking_refusal, delay_days, reminder_due, reminder_due_at,
    reminder_window, within_target,
)
from services.orientation.domain.model import DECIDED, InvalidTransition, OrientationError
from services.orientation.domain.policy import may_book, may_see
from services.orientation.domain.referential import ORG_TYPES
from services.orientation.service.handlers import Forbidden, NotFound, iso

TOPIC = "orientation.appointments.v1"


class SlotTaken(InvalidTransition):
    pass


@dataclass
class AppointmentService:
    outbox: Outbox
    clock: Callable[[], datetime]

    def publish_slot(self, session: Session, caller: Caller, slot_id: str, starts_at: datetime, duration_minutes: int,
                     channel: str, location: str | None) -> Slot:
        if caller.org_type not in ORG_TYPES:
            raise Forbidden("Only organisations that accompany people publish appointment slots.")
        now = self.clock()
        if starts_at <= now:
            raise OrientationError("A slot must start in the future.", field="starts_at")
        slot = Slot(slot_id, caller.org_id, starts_at, duration_minutes, channel, location, True, now)
        OrientationRepository(session).add_slot(slot)
        return slot

    def slot(self, session: Session, slot_id: str) -> Slot:
        slot = OrientationRepository(session).slot(slot_id)
        if slot is None:
            raise NotFound(slot_id)
        return slot

    def book(self, session: Session, caller: Caller, appointment_id: str, person_id: str, slot_id: str) -> Appointment:
        repo = OrientationRepository(session)
        orientation = repo.get(person_id, for_update=True)  # one booking at a time per person
        if orientation is None or not may_see(caller, orientation):
            raise NotFound(person_id)
        if not may_book(caller, orientation):
            raise Forbidden("A counsellor of France Travail or of the referent organisation books the first appointment.")
        decision = orientation.current
        if decision is None or decision.status != DECIDED or decision.referent is None:
            raise InvalidTransition("The person is not oriented yet: an appointment follows a decided orientation.")
        slot, now = repo.slot(slot_id), self.clock()
        if slot is None:
            raise OrientationError("No slot with this id.", field="slot_id")
        if booked_until := repo.booked_until(person_id, now):
            raise InvalidTransition(already_booked(booked_until))
        refusal = booking_refusal(slot.org_id, slot.starts_at, decision.referent.org_id, now)
        if refusal:
            raise OrientationError(refusal, field="slot_id")
        if not repo.claim_slot(slot_id, appointment_id):
            raise SlotTaken("This slot is already booked; choose another one.")
        appointment = Appointment(appointment_id, person_id, slot, decision.decision_id, BOOKED,
                                  delay_days(orientation.person.registered_at, slot.starts_at), now, caller.org_id)
        try:
            repo.add_appointment(appointment)
        except UniqueKeyTaken:
            raise SlotTaken("This slot is already booked; choose another one.") from None
        self.outbox.add_event(session, TOPIC, "orientation.appointment.booked.v1", person_id, {
            **appointment_event(appointment), "decision_id": decision.decision_id,
            "departement_code": orientation.person.departement_code,
            "registered_at": iso(orientation.person.registered_at), "booked_at": iso(now),
            "booked_by": caller.org_id})
        return appointment

    def appointment(self, session: Session, caller: Caller, appointment_id: str,
                    for_update: bool = False) -> Appointment:
        repo = OrientationRepository(session)
        appointment = repo.appointment(appointment_id, for_update=for_update)
        if appointment is None:
            raise NotFound(appointment_id)
        orientation = repo.get(appointment.person_id)
        if caller.org_id != appointment.slot.org_id and not (orientation and may_see(caller, orientation)):
            raise NotFound(appointment_id)
        return appointment

    def record_no_show(self, session: Session, caller: Caller, appointment_id: str) -> Appointment:
        appointment = self.appointment(session, caller, appointment_id, for_update=True)
        if caller.org_type != "france_travail" and caller.org_id != appointment.slot.org_id:
            raise Forbidden("The organisation holding the appointment, or France Travail, records a no-show.")
        now = self.clock()
        if now < appointment.slot.starts_at:
            raise InvalidTransition("An appointment that has not started cannot be missed yet.")
        repo = OrientationRepository(session)
        if not repo.record_no_show(appointment_id, now):
            raise InvalidTransition("This appointment is not booked any more (no-show already recorded).")
        orientation = repo.get(appointment.person_id)
        self.outbox.add_event(session, TOPIC, "orientation.appointment.no_show.v1", appointment.person_id, {
            **appointment_event(appointment), "recorded_at": iso(now), "recorded_by": caller.org_id,
            "departement_code": orientation.person.departement_code, "rsa_recipient": orientation.person.rsa_recipient})
        return repo.appointment(appointment_id)  # type: ignore[return-value]

    def send_due_reminders(self, db: Database, now: datetime) -> int:
        """Emit the reminders due (48 h and 2 h before); each at most once, whoever runs the job."""
        with db.transaction() as session:
            upcoming = OrientationRepository(session).upcoming(now, reminder_window(now))
        sent = 0
        for appointment in upcoming:
            kind = reminder_due(appointment.slot.starts_at, now, appointment.reminders_sent)
            if kind is None:
                continue
            with db.transaction() as session:
                if OrientationRepository(session).claim_reminder(appointment.appointment_id, kind, now):
                    self.outbox.add_event(session, TOPIC, "orientation.appointment.reminder_due.v1",
                                          appointment.person_id, {**appointment_event(appointment), "reminder": kind,
                                                                  "due_at": iso(reminder_due_at(appointment.slot.starts_at, kind))})
                    sent += 1
        return sent


def appointment_event(appointment: Appointment) -> dict[str, Any]:
    slot = appointment.slot
    return {
        "appointment_id": appointment.appointment_id, "person_id": appointment.person_id, "slot_id": slot.slot_id,
        "org_id": slot.org_id, "starts_at": iso(slot.starts_at), "duration_minutes": slot.duration_minutes,
        "channel": slot.channel, "location": slot.location, "delay_days": appointment.delay_days,
        "within_target": within_target(appointment.delay_days),
    }
