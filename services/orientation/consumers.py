"""Kafka events → commands: each registration (or correction) reaches orientation."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.orientation.service.handlers import OrientationService
from services.orientation.service.unit_of_work import on_session
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED


def consumer_specs(service: OrientationService, outbox: Outbox) -> list[ConsumerSpec]:
    def on_person(session: Session, event: Envelope) -> None:
        service.on_person(on_session(session, outbox), event.data)

    return [ConsumerSpec(name="orientation.registrations", handlers={PERSON_REGISTERED: on_person,
                                                                      PERSON_UPDATED: on_person})]
