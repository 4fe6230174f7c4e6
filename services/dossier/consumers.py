"""Kafka events → the dossier's read model: registrations, orientation decisions, appointments."""
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
    APPOINTMENT_BOOKED, APPOINTMENT_NO_SHOW, DECISION_MADE, DECISION_REORIENTED,
)
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED


def consumer_specs(service: DossierService, outbox: Outbox) -> list[ConsumerSpec]:
    def on(handle: Callable[[DossierUnitOfWork, Envelope], None]) -> Handler:
        return lambda session, event: handle(unit_of_work(session, outbox), event)

    # One subscription for the three topics: the read model is one projection, replayed as one.
    return [ConsumerSpec(name="dossier.read-model", handlers={
        PERSON_REGISTERED: on(service.on_registration),
        PERSON_UPDATED: on(service.on_registration),
        DECISION_MADE: on(partial(service.on_decision, kind="made")),
        DECISION_REORIENTED: on(partial(service.on_decision, kind="reoriented")),
        APPOINTMENT_BOOKED: on(partial(service.on_appointment, status="booked")),
        APPOINTMENT_NO_SHOW: on(partial(service.on_appointment, status="no_show")),
    })]
