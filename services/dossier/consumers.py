"""Kafka events → the dossier's read model: registrations, orientation decisions, appointments."""
from __future__ import annotations

from services.core.app import ConsumerSpec
from services.dossier.service.handlers import DossierService

TOPICS = ["registration.persons.v1", "orientation.decisions.v1", "orientation.appointments.v1"]


def consumer_specs(service: DossierService) -> list[ConsumerSpec]:
    # One subscription for the three topics: the read model is one projection, replayed as one.
    return [ConsumerSpec(name="dossier.read-model", topics=TOPICS, handlers={
        "registration.person.registered.v1": service.on_registration,
        "registration.person.updated.v1": service.on_registration,
        "orientation.decision.made.v1": lambda session, event: service.on_decision(session, event, "made"),
        "orientation.decision.reoriented.v1": lambda session, event: service.on_decision(session, event, "reoriented"),
        "orientation.appointment.booked.v1": lambda session, event: service.on_appointment(session, event, "booked"),
        "orientation.appointment.no_show.v1": lambda session, event: service.on_appointment(session, event, "no_show"),
    })]
