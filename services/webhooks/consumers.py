"""Kafka events -> webhooks: registrations, orientation decisions, the dossier's milestones and offers
become changes and deliveries (service.recording); registrations and decisions first update the person
facts the visibility rule reads, in the same transaction, so the change is judged on them.

One subscription over every topic: its single consumer is the only writer of the change log, whose
positions then commit in order (the feed's cursor relies on it)."""
from __future__ import annotations

from services.core import person_facts
from services.core.app import ConsumerSpec
from services.core.consumer import Handler
from services.core.events import EventType
from services.dossier.published import CONTRACT_SIGNED, DIAGNOSTIC_COMPLETED, REVIEW_RECORDED
from services.offers.published import (
    OFFER_EXPIRED, OFFER_FILLED, OFFER_PUBLISHED, OFFER_UPDATED, OFFER_WITHDRAWN,
)
from services.orientation.published import DECISION_MADE, DECISION_REORIENTED
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED
from services.webhooks.service.recording import ChangeRecorder

FACTS: dict[EventType, Handler] = {
    PERSON_REGISTERED: person_facts.on_registration, PERSON_UPDATED: person_facts.on_registration,
    DECISION_MADE: person_facts.on_decision, DECISION_REORIENTED: person_facts.on_decision,
}
CHANGES: tuple[EventType, ...] = (
    PERSON_REGISTERED, PERSON_UPDATED, DECISION_MADE, DECISION_REORIENTED, DIAGNOSTIC_COMPLETED, CONTRACT_SIGNED,
    REVIEW_RECORDED, OFFER_PUBLISHED, OFFER_UPDATED, OFFER_WITHDRAWN, OFFER_EXPIRED, OFFER_FILLED,
)
CONSUMER = "webhooks.changes"


def consumer_specs(recorder: ChangeRecorder) -> list[ConsumerSpec]:
    def handler(event_type: EventType) -> Handler:
        facts = FACTS.get(event_type)

        def handle(session, event) -> None:
            if facts is not None:
                facts(session, event)
            recorder.on_event(session, event)
        return handle

    return [ConsumerSpec(name=CONSUMER, handlers={event_type: handler(event_type) for event_type in CHANGES})]
