"""Kafka events -> notifications: orientation's reminders due become send records, its cancelled and
moved appointments withdraw those not due any more, registration's contact changes the person's contact
the sends are judged on. One subscription: the two topics
interleave in no order, so a reminder read before its person's contact waits for it at send time
(service/sending.py), not here."""
from __future__ import annotations

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.notifications.service.handlers import (
    on_appointment_cancelled, on_appointment_moved, on_contact_changed, on_reminder_due,
)
from services.notifications.service.unit_of_work import unit_of_work
from services.orientation.published import APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_REMINDER_DUE
from services.registration.published import CONTACT_CHANGED

CONSUMER = "notifications.reminders"


def consumer_specs(outbox: Outbox, clock) -> list[ConsumerSpec]:
    def reminder(session, event: Envelope) -> None:
        on_reminder_due(unit_of_work(session, outbox), event.id, event.data, clock())

    def contact(session, event: Envelope) -> None:
        on_contact_changed(unit_of_work(session, outbox), event.data, event.time)

    def cancelled(session, event: Envelope) -> None:
        on_appointment_cancelled(unit_of_work(session, outbox), event.data, clock())

    def moved(session, event: Envelope) -> None:
        on_appointment_moved(unit_of_work(session, outbox), event.data, clock())

    return [ConsumerSpec(name=CONSUMER, handlers={APPOINTMENT_REMINDER_DUE: reminder, APPOINTMENT_CANCELLED: cancelled,
                                                  APPOINTMENT_MOVED: moved, CONTACT_CHANGED: contact})]
