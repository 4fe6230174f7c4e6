"""What an indicators use case runs in: its stores (it emits no events)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.indicators.adapters.repository import Bookings, CellStore, EarlyEvents, PersonPlaces


@dataclass
class IndicatorsUnitOfWork(UnitOfWork):
    cells: CellStore
    places: PersonPlaces
    early: EarlyEvents
    bookings: Bookings

    def write_pending(self) -> None:
        """What the stores kept in memory through the transaction, before it commits."""
        self.places.write_pending()
        self.early.write_pending()
        self.bookings.write_pending()
        self.cells.write_pending()


def on_session(session: Session, outbox: Outbox) -> IndicatorsUnitOfWork:
    return IndicatorsUnitOfWork(events=OutboxEvents(session, outbox), cells=CellStore(session),
                                places=PersonPlaces(session), early=EarlyEvents(session),
                                bookings=Bookings(session))
