"""Kafka events → commands: the service's own `published` events drive saved-search matching; the
registration and orientation events keep the person facts the visibility rule reads."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core import person_facts
from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.offers.published import OFFER_PUBLISHED
from services.offers.service.subscriptions import Subscriptions
from services.orientation.published import DECISION_MADE, DECISION_REORIENTED
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED


def consumer_specs(subscriptions: Subscriptions) -> list[ConsumerSpec]:
    def on_published(session: Session, event: Envelope) -> None:
        place = event.data.get("place") or {}
        subscriptions.on_published(session, event.data["offer_id"], event.data["rome"]["code"],
                                   place.get("departement_code"))

    return [ConsumerSpec(name="offers.matching", handlers={OFFER_PUBLISHED: on_published}),
            ConsumerSpec(name="offers.person-facts", handlers={
                PERSON_REGISTERED: person_facts.on_registration, PERSON_UPDATED: person_facts.on_registration,
                DECISION_MADE: person_facts.on_decision, DECISION_REORIENTED: person_facts.on_decision})]
