"""The notifications' unit of work: contacts, send records and the events they raise."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.notifications.adapters.repository import ContactRepository, SendRecordRepository


@dataclass
class NotificationsUnitOfWork(UnitOfWork):
    contacts: ContactRepository
    records: SendRecordRepository


def unit_of_work(session: Session, outbox: Outbox) -> NotificationsUnitOfWork:
    return NotificationsUnitOfWork(OutboxEvents(session, outbox), ContactRepository(session),
                                   SendRecordRepository(session))
