"""Kafka events -> notifications: orientation's reminders due become send records, registration's
contact changes the person's contact the sends are judged on. One subscription: the two topics
interleave in no order, so a reminder read before its person's contact waits for it at send time
(service/sending.py), not here."""
from __future__ import annotations

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.notifications.service.handlers import on_contact_changed, on_reminder_due
from services.notifications.service.unit_of_work import unit_of_work
from services.orientation.published import APPOINTMENT_REMINDER_DUE
from services.registration.published import CONTACT_CHANGED

CONSUMER = "notifications.reminders"


def consumer_specs(outbox: Outbox, clock) -> list[ConsumerSpec]:
    def reminder(session, event: Envelope) -> None:
        on_reminder_due(unit_of_work(session, outbox), event.id, event.data, clock())

    def contact(session, event: Envelope) -> None:
        on_contact_changed(unit_of_work(session, outbox), event.data, event.time)

    return [ConsumerSpec(name=CONSUMER, handlers={APPOINTMENT_REMINDER_DUE: reminder, CONTACT_CHANGED: contact})]
