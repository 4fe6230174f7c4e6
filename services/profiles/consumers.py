"""Kafka events -> profiles: registrations build them ("dites-le nous une fois"), the diagnostic and
orientation enrich them, offers are kept to rank profiles for them."""
from __future__ import annotations

from collections.abc import Callable

from services.core.app import ConsumerSpec
from services.core.consumer import Handler
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.dossier.published import DIAGNOSTIC_COMPLETED
from services.offers.published import (
    OFFER_EXPIRED, OFFER_FILLED, OFFER_PUBLISHED, OFFER_QUARANTINED, OFFER_UPDATED, OFFER_WITHDRAWN,
)
from services.orientation.published import DECISION_MADE, DECISION_REORIENTED
from services.profiles.service.profiles import ProfileService
from services.profiles.service.unit_of_work import ProfilesUnitOfWork, on_session
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED


def consumer_specs(service: ProfileService, outbox: Outbox) -> list[ConsumerSpec]:
    def on(handle: Callable[[ProfilesUnitOfWork, Envelope], None]) -> Handler:
        return lambda session, event: handle(on_session(session, outbox), event)

    return [
        # One subscription for what builds a profile, so a person's events apply in their order.
        ConsumerSpec(name="profiles.profiles", handlers={
            PERSON_REGISTERED: on(service.on_registration), PERSON_UPDATED: on(service.on_registration),
            DIAGNOSTIC_COMPLETED: on(service.on_diagnostic),
            DECISION_MADE: on(service.on_orientation), DECISION_REORIENTED: on(service.on_orientation),
        }),
        ConsumerSpec(name="profiles.offers", handlers={
            event_type: on(service.on_offer) for event_type in (
                OFFER_PUBLISHED, OFFER_UPDATED, OFFER_QUARANTINED, OFFER_WITHDRAWN, OFFER_EXPIRED, OFFER_FILLED)
        }),
    ]
