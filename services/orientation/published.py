"""Topics and event types the orientation service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

DECISIONS = Topic("orientation.decisions.v1")
DECISION_MADE = EventType("orientation.decision.made.v1", DECISIONS)
DECISION_REORIENTED = EventType("orientation.decision.reoriented.v1", DECISIONS)

APPOINTMENTS = Topic("orientation.appointments.v1")
APPOINTMENT_BOOKED = EventType("orientation.appointment.booked.v1", APPOINTMENTS)
APPOINTMENT_NO_SHOW = EventType("orientation.appointment.no_show.v1", APPOINTMENTS)
APPOINTMENT_REMINDER_DUE = EventType("orientation.appointment.reminder_due.v1", APPOINTMENTS)
# The person moved or cancelled their appointment themselves (issue 15): its slot is free again, and the
# reminders of the old time are not due any more.
APPOINTMENT_MOVED = EventType("orientation.appointment.moved.v1", APPOINTMENTS)
APPOINTMENT_CANCELLED = EventType("orientation.appointment.cancelled.v1", APPOINTMENTS)

# An organisation's reads and writes of a person's orientation and appointments, for the person's one
# access log that the dossier keeps (the dossier alone reads this topic).
ACCESSES = Topic("orientation.accesses.v1")
ACCESS_RECORDED = EventType("orientation.person.access_recorded.v1", ACCESSES)
