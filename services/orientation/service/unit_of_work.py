"""The orientation unit of work on the database: repositories over one session, events as outbox
rows in its transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from services.core.db import Database
from services.core.outbox import Outbox
from services.core.uow import OutboxEvents
from services.orientation.adapters.appointments import AppointmentRepository
from services.orientation.adapters.referentials import ReferentialRepository
from services.orientation.adapters.repository import OrientationRepository
from services.orientation.service.ports import OrientationUnitOfWork, Transactions


def on_session(session: Session, outbox: Outbox) -> OrientationUnitOfWork:
    return OrientationUnitOfWork(events=OutboxEvents(session, outbox), orientations=OrientationRepository(session),
                                 referentials=ReferentialRepository(session),
                                 appointments=AppointmentRepository(session))


def transactions(db: Database, outbox: Outbox) -> Transactions:
    @contextmanager
    def transaction() -> Iterator[OrientationUnitOfWork]:
        with db.transaction() as session:
            yield on_session(session, outbox)

    return transaction
