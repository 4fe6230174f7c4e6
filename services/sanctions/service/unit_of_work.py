"""What a sanctions use case runs in: its repositories and the events sink."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.person_facts import PersonFactsRepository
from services.core.uow import OutboxEvents, UnitOfWork
from services.sanctions.adapters.repository import CaseRepository, HeldAccesses, LapseRepository, ScaleChoices


@dataclass
class SanctionsUnitOfWork(UnitOfWork):
    cases: CaseRepository
    lapses: LapseRepository
    choices: ScaleChoices
    facts: PersonFactsRepository
    session: Session
    held: HeldAccesses


def on_session(session: Session, outbox: Outbox) -> SanctionsUnitOfWork:
    return SanctionsUnitOfWork(events=OutboxEvents(session, outbox), cases=CaseRepository(session),
                               lapses=LapseRepository(session), choices=ScaleChoices(session),
                               facts=PersonFactsRepository(session), session=session,
                               held=HeldAccesses(session))
