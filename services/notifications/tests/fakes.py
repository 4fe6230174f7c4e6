"""In-memory repositories, unit of work and senders for the unit tests."""
from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.notifications.domain.contact import Contact
from services.notifications.domain.send_record import PENDING, SendRecord
from services.notifications.domain.senders import SendFailed
from services.notifications.service.unit_of_work import NotificationsUnitOfWork

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


class FakeContacts:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[Contact, datetime]] = {}

    def get(self, person_id: str) -> Contact | None:
        return self.rows[person_id][0] if person_id in self.rows else None

    def changed_at(self, person_id: str) -> datetime | None:
        return self.rows[person_id][1] if person_id in self.rows else None

    def save(self, contact: Contact, changed_at: datetime) -> None:
        self.rows[contact.person_id] = (contact, changed_at)


class FakeRecords:
    """Stores copies, as a database would: a record changed but not saved stays as it was."""

    def __init__(self) -> None:
        self.rows: dict[str, SendRecord] = {}

    def exists(self, record_id: str) -> bool:
        return record_id in self.rows

    def add(self, record: SendRecord) -> None:
        self.rows[record.id] = copy.deepcopy(record)

    def get(self, record_id: str) -> SendRecord | None:
        return copy.deepcopy(self.rows.get(record_id))

    def due(self, now: datetime, limit: int) -> list[SendRecord]:
        due = sorted((r for r in self.rows.values() if r.status == PENDING and r.next_attempt_at <= now),
                     key=lambda r: (r.next_attempt_at, r.id))
        return [copy.deepcopy(r) for r in due[:limit]]

    def save(self, record: SendRecord) -> None:
        self.rows[record.id] = copy.deepcopy(record)

    def of_person(self, person_id: str) -> list[SendRecord]:
        return [copy.deepcopy(r) for r in self.rows.values() if r.reminder.person_id == person_id]


@dataclass
class FakeStore:
    contacts: FakeContacts = field(default_factory=FakeContacts)
    records: FakeRecords = field(default_factory=FakeRecords)
    events: RecordedEvents = field(default_factory=lambda: RecordedEvents(SCHEMAS))

    @contextmanager
    def transaction(self):
        yield NotificationsUnitOfWork(self.events, self.contacts, self.records)


@dataclass
class FakeChannel:
    """A mailer or an SMS gateway: what it was given, and failures to raise first."""

    failures: list[str] = field(default_factory=list)
    sent: list[tuple] = field(default_factory=list)

    def send(self, message_id: str, to: str, *text: str) -> None:
        if self.failures:
            raise SendFailed(self.failures.pop(0))
        self.sent.append((message_id, to, *text))
