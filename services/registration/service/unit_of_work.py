"""What a registration use case runs in: the registrations repository and the events sink."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.registration.adapters.repository import NirConflictRepository, RegistrationRepository
from services.registration.domain.nir_conflicts import NirConflicts
from services.registration.domain.repository import Registrations


@dataclass
class RegistrationUnitOfWork(UnitOfWork):
    registrations: Registrations
    nir_conflicts: NirConflicts


def on_session(session: Session, outbox: Outbox) -> RegistrationUnitOfWork:
    """The unit of work of a route or consumer: rows and outbox events in the session's transaction."""
    return RegistrationUnitOfWork(events=OutboxEvents(session, outbox), registrations=RegistrationRepository(session),
                                  nir_conflicts=NirConflictRepository(session))
