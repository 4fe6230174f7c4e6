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
    def on_people(session: Session, events: list[Envelope]) -> None:
        service.on_people(on_session(session, outbox), [event.data for event in events])

    def on_person(session: Session, event: Envelope) -> None:
        on_people(session, [event])

    # The restricted twin of each registration event: the rules read its RQTH and health barrier.
    # A run of them in one go (a backlog after an outage, a mass import): see `on_people`.
    return [ConsumerSpec(name="orientation.registrations", handlers={PERSON_HEALTH: on_person},
                         batch_handler=on_people)]
