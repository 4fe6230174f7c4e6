"""What an indicators use case runs in: its stores (it emits no events)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.indicators.adapters.repository import CellStore, EarlyEvents, PersonPlaces


@dataclass
class IndicatorsUnitOfWork(UnitOfWork):
    cells: CellStore
    places: PersonPlaces
    early: EarlyEvents


def on_session(session: Session, outbox: Outbox) -> IndicatorsUnitOfWork:
    return IndicatorsUnitOfWork(events=OutboxEvents(session, outbox), cells=CellStore(session),
                                places=PersonPlaces(session), early=EarlyEvents(session))
