"""Domain events → the events other services read: their types and payloads, as the schemas under
schemas/ publish them. Never the counsellor's notes nor the person's answers."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from services.core.outbox import PendingEvent
from services.core.uow import EventSink
from services.orientation.domain.appointments import Appointment, within_target
from services.orientation.domain.events import (
    AppointmentBooked, AppointmentCancelled, AppointmentMoved, NoShowRecorded, ReminderDue,
)
from services.orientation.domain.model import MADE, REORIENTED, Decision, Orientation
from services.orientation.published import (
    APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_NO_SHOW, APPOINTMENT_REMINDER_DUE,
    DECISION_MADE, DECISION_REORIENTED,
)

DECISION_TYPES = {MADE: DECISION_MADE, REORIENTED: DECISION_REORIENTED}


def publish_decisions(sink: EventSink, orientation: Orientation) -> None:
    sink.emit_all(decision_messages(orientation))
    orientation.events.clear()


def decision_messages(orientation: Orientation) -> list[PendingEvent]:
    """The decisions taken since loading, as events telling the person's facts as they are now."""
    return [PendingEvent(DECISION_TYPES[event.decision.kind], orientation.person.person_id,
                         decision_event(orientation, event.decision)) for event in orientation.events]


def publish_appointment(sink: EventSink, appointment: Appointment) -> None:
    sink.emit_all([_appointment_message(event) for event in appointment.events])
    appointment.events.clear()


def decision_event(orientation: Orientation, decision: Decision) -> dict[str, Any]:
    """The orientation, its authority and its reason."""
    person = orientation.person
    body = {
        "person_id": person.person_id, "decision_id": decision.decision_id, "status": decision.status,
        "decided_by": decision.decided_by, "pathway": decision.pathway,
        "referent": {"org_type": decision.referent.org_type, "org_id": decision.referent.org_id}
        if decision.referent else None,
        "intensity": decision.intensity, "departement_code": person.departement_code,
        "rsa_recipient": person.rsa_recipient, "referential": decision.referential, "rule": decision.rule,
        "rule_ids": list(decision.rule_ids), "decided_at": iso(decision.decided_at),
        "registered_at": iso(person.registered_at),
        "decision_due_at": iso(orientation.decision_due_at) if decision.status == "proposed" else None,
        "recorded_by": decision.recorded_by, "previous_decision_id": decision.previous_decision_id,
    }
    if decision.kind != MADE:
        body["reason"] = decision.reason
    return body


AppointmentEvent = AppointmentBooked | NoShowRecorded | ReminderDue | AppointmentCancelled | AppointmentMoved


def _appointment_message(event: AppointmentEvent) -> PendingEvent:
    appointment = event.appointment
    common = appointment_event(appointment)
    if isinstance(event, AppointmentBooked):
        return PendingEvent(APPOINTMENT_BOOKED, appointment.person_id, {
            **common, "decision_id": appointment.decision_id, "departement_code": event.person.departement_code,
            "registered_at": iso(event.person.registered_at), "booked_at": iso(appointment.booked_at),
            "booked_by": appointment.booked_by})
    if isinstance(event, NoShowRecorded):
        return PendingEvent(APPOINTMENT_NO_SHOW, appointment.person_id, {
            **common, "recorded_at": iso(appointment.no_show_recorded_at), "recorded_by": event.recorded_by,
            "departement_code": event.person.departement_code, "rsa_recipient": event.person.rsa_recipient})
    if isinstance(event, AppointmentCancelled):
        return PendingEvent(APPOINTMENT_CANCELLED, appointment.person_id, {
            **common, "cancelled_at": iso(appointment.cancelled_at), "cancelled_by": event.cancelled_by})
    if isinstance(event, AppointmentMoved):
        return PendingEvent(APPOINTMENT_MOVED, appointment.person_id, {
            **common, "previous_slot_id": event.previous_slot.slot_id,
            "previous_starts_at": iso(event.previous_slot.starts_at), "moved_at": iso(event.moved_at),
            "moved_by": event.moved_by})
    return PendingEvent(APPOINTMENT_REMINDER_DUE, appointment.person_id,
                        {**common, "reminder": event.reminder, "due_at": iso(event.due_at)})


def appointment_event(appointment: Appointment) -> dict[str, Any]:
    slot = appointment.slot
    return {
        "appointment_id": appointment.appointment_id, "person_id": appointment.person_id, "slot_id": slot.slot_id,
        "org_id": slot.org_id, "starts_at": iso(slot.starts_at), "duration_minutes": slot.duration_minutes,
        "channel": slot.channel, "location": slot.location, "delay_days": appointment.delay_days,
        "within_target": within_target(appointment.delay_days),
    }


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
