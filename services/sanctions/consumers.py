"""Kafka events -> sanctions: missed initial appointments, overdue reviews and contracts unsigned in
time become lapses; the first interview held and the contract signed lift a suspension-remobilisation;
registrations and orientation decisions keep the person facts the visibility rule reads."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.core import person_facts
from services.core.app import ConsumerSpec
from services.core.consumer import Handler
from services.core.events import Envelope
from services.core.outbox import Outbox
from services.dossier.published import CONTRACT_SIGNED, CONTRACT_UNSIGNED, DIAGNOSTIC_COMPLETED, REVIEW_OVERDUE
from services.orientation.published import APPOINTMENT_NO_SHOW, DECISION_MADE, DECISION_REORIENTED
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED
from services.sanctions.domain.deadlines import overdue_review_lapse, unsigned_contract_lapse
from services.sanctions.service.cases import CaseService
from services.sanctions.service.unit_of_work import SanctionsUnitOfWork, on_session


def consumer_specs(service: CaseService, outbox: Outbox) -> list[ConsumerSpec]:
    def on(handle: Callable[[SanctionsUnitOfWork, Envelope], None]) -> Handler:
        return lambda session, event: handle(on_session(session, outbox), event)

    def reengaged(what: str, field: str) -> Handler:
        return on(lambda uow, event: service.on_reengagement(
            uow, event.data["person_id"], what, datetime.fromisoformat(event.data[field])))

    return [
        ConsumerSpec(name="sanctions.person-facts", handlers={
            PERSON_REGISTERED: person_facts.on_registration, PERSON_UPDATED: person_facts.on_registration,
            DECISION_MADE: person_facts.on_decision, DECISION_REORIENTED: person_facts.on_decision,
        }),
        ConsumerSpec(name="sanctions.no-shows", handlers={
            APPOINTMENT_NO_SHOW: on(lambda uow, event: service.on_no_show(uow, event.data)),
        }),
        ConsumerSpec(name="sanctions.deadlines", handlers={
            REVIEW_OVERDUE: on(lambda uow, event: service.on_deadline_missed(uow, event.data, overdue_review_lapse)),
            CONTRACT_UNSIGNED: on(lambda uow, event: service.on_deadline_missed(
                uow, event.data, unsigned_contract_lapse)),
        }),
        ConsumerSpec(name="sanctions.reengagement", handlers={
            DIAGNOSTIC_COMPLETED: reengaged("interview_held", "completed_at"),
            CONTRACT_SIGNED: reengaged("contract_signed", "signed_at"),
        }),
    ]
