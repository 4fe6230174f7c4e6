"""Kafka events → the dossier's read model (registrations, orientation decisions, appointments, reminders
that failed) and the access log (other services' accesses to the person's data)."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from services.core.app import ConsumerSpec
from services.core.consumer import Handler
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.dossier.service.handlers import DossierService
from services.dossier.service.unit_of_work import DossierUnitOfWork, unit_of_work
from services.orientation.published import (
    APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_NO_SHOW, DECISION_MADE, DECISION_REORIENTED,
)
from services.orientation.published import ACCESS_RECORDED as ORIENTATION_ACCESS_RECORDED
from services.dossier.service.access_intake import record_told_access
from services.notifications.published import MESSAGE_FAILED
from services.offers.published import ACCESS_RECORDED as OFFERS_ACCESS_RECORDED
from services.profiles.published import ACCESS_RECORDED as PROFILES_ACCESS_RECORDED
from services.registration.published import ACCESS_RECORDED, PERSON_HEALTH
from services.sanctions.published import ACCESS_RECORDED as SANCTIONS_ACCESS_RECORDED


def consumer_specs(service: DossierService, outbox: Outbox) -> list[ConsumerSpec]:
    def on(handle: Callable[[DossierUnitOfWork, Envelope], None]) -> Handler:
        return lambda session, event: handle(unit_of_work(session, outbox), event)

    # One subscription for all its topics: the read model is one projection, replayed as one.
    return [ConsumerSpec(name="dossier.read-model", handlers={
        # The restricted twin of each registration event: the referent's view shows its health data.
        PERSON_HEALTH: on(service.on_registration),
        ACCESS_RECORDED: on(record_told_access),
        SANCTIONS_ACCESS_RECORDED: on(record_told_access),
        ORIENTATION_ACCESS_RECORDED: on(record_told_access),
        OFFERS_ACCESS_RECORDED: on(record_told_access),
        PROFILES_ACCESS_RECORDED: on(record_told_access),
        DECISION_MADE: on(partial(service.on_decision, kind="made")),
        DECISION_REORIENTED: on(partial(service.on_decision, kind="reoriented")),
        APPOINTMENT_BOOKED: on(partial(service.on_appointment, status="booked")),
        APPOINTMENT_NO_SHOW: on(partial(service.on_appointment, status="no_show")),
        # The person moves or cancels their first appointment from their own door.
        APPOINTMENT_MOVED: on(partial(service.on_appointment, status="booked")),
        APPOINTMENT_CANCELLED: on(partial(service.on_appointment, status="cancelled")),
        # Reminders notifications gave up on: the referent's view shows them.
        MESSAGE_FAILED: on(service.on_message_failed),
    })]
