"""What a registration use case runs in: the registrations repository and the events sink."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.registration.adapters.repository import RegistrationRepository
from services.registration.domain.repository import Registrations


@dataclass
class RegistrationUnitOfWork(UnitOfWork):
    registrations: Registrations


def on_session(session: Session, outbox: Outbox) -> RegistrationUnitOfWork:
    """The unit of work of a route or consumer: rows and outbox events in the session's transaction."""
    return RegistrationUnitOfWork(events=OutboxEvents(session, outbox), registrations=RegistrationRepository(session))
