"""Kafka events → commands: each registration (or correction) reaches orientation, health data included."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.orientation.service.handlers import OrientationService
from services.orientation.service.unit_of_work import on_session
from services.registration.published import PERSON_HEALTH


def consumer_specs(service: OrientationService, outbox: Outbox) -> list[ConsumerSpec]:
    def on_person(session: Session, event: Envelope) -> None:
        service.on_person(on_session(session, outbox), event.data)

    # The restricted twin of each registration event: the rules read its RQTH and health barrier.
    return [ConsumerSpec(name="orientation.registrations", handlers={PERSON_HEALTH: on_person})]
