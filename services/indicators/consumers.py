"""Kafka events -> indicator cells: one subscription over every fact an indicator reads, so that a
single consumer sums them (no two transactions adding to the same cell)."""
from __future__ import annotations

from services.core.app import ConsumerSpec
from services.core.consumer import Handler
from services.core.inbound import DSN_HIRING_DECLARED
from services.core.outbox import Outbox
from services.dossier.published import CONTRACT_SIGNED, REVIEW_OVERDUE, REVIEW_RECORDED
from services.indicators.service.facts import CONSUMER_NAME, IndicatorFacts
from services.indicators.service.unit_of_work import on_session
from services.offers.published import OFFER_FILLED, OFFER_PUBLISHED
from services.orientation.published import (APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED,
                                           APPOINTMENT_NO_SHOW, DECISION_MADE)
from services.profiles.published import INTRODUCTION_MADE
from services.registration.published import PERSON_REGISTERED
from services.sanctions.published import DECISION_MADE as SANCTION_MADE

FACTS = (PERSON_REGISTERED, OFFER_PUBLISHED, OFFER_FILLED, APPOINTMENT_BOOKED, APPOINTMENT_MOVED, APPOINTMENT_CANCELLED,
         APPOINTMENT_NO_SHOW, DECISION_MADE,
         CONTRACT_SIGNED, REVIEW_RECORDED, REVIEW_OVERDUE, SANCTION_MADE, INTRODUCTION_MADE, DSN_HIRING_DECLARED)


def consumer_specs(facts: IndicatorFacts, outbox: Outbox) -> list[ConsumerSpec]:
    """A replay is a million events: they are applied a transaction's worth at a time (apply_all)."""

    def apply_all(session, events) -> None:
        facts.apply_all(on_session(session, outbox), [(event.id, event.type, event.data) for event in events])

    def apply(session, event) -> None:
        apply_all(session, [event])

    handler: Handler = apply
    return [ConsumerSpec(name=CONSUMER_NAME, handlers={event_type: handler for event_type in FACTS},
                         batch_handler=apply_all)]
