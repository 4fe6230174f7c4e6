"""Kafka events → commands: each registration (or correction) reaches orientation."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.orientation.service.handlers import OrientationService

REGISTRATION_TOPIC = "registration.persons.v1"


def consumer_specs(service: OrientationService) -> list[ConsumerSpec]:
    def on_person(session: Session, event: Envelope) -> None:
        service.on_person(session, event.data)

    return [ConsumerSpec(name="orientation.registrations", topics=[REGISTRATION_TOPIC], handlers={
        "registration.person.registered.v1": on_person, "registration.person.updated.v1": on_person})]
