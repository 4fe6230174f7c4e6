"""Contacts and send records over a session (no commit: the caller's transaction holds them)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notifications.adapters.orm import ContactRow, SendRecordRow
from services.notifications.domain.contact import Contact
from services.notifications.domain.reminder import Reminder
from services.notifications.domain.send_record import PENDING, SendRecord


class ContactRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, person_id: str) -> Contact | None:
        row = self.session.get(ContactRow, person_id)
        if row is None:
            return None
        return Contact(row.person_id, row.email, row.phone, row.preferred_channel, frozenset(row.opted_out_channels))

    def changed_at(self, person_id: str) -> datetime | None:
        row = self.session.get(ContactRow, person_id)
        return row.changed_at if row is not None else None

    def save(self, contact: Contact, changed_at: datetime) -> None:
        row = self.session.get(ContactRow, contact.person_id)
        if row is None:
            row = ContactRow(person_id=contact.person_id)
            self.session.add(row)
        row.email, row.phone, row.preferred_channel = contact.email, contact.phone, contact.preferred_channel
        row.opted_out_channels, row.changed_at = sorted(contact.opted_out_channels), changed_at


class SendRecordRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exists(self, record_id: str) -> bool:
        return self.session.get(SendRecordRow, record_id) is not None

    def add(self, record: SendRecord) -> None:
        row = SendRecordRow(id=record.id, event_id=record.event_id, channel=record.channel,
                            person_id=record.reminder.person_id, reminder=_reminder_data(record.reminder),
                            created_at=record.created_at)
        self.session.add(row)
        _copy_state(record, row)

    def get(self, record_id: str) -> SendRecord | None:
        row = self.session.get(SendRecordRow, record_id)
        return _record(row) if row is not None else None

    def due(self, now: datetime, limit: int) -> list[SendRecord]:
        """Pending records whose time has come, oldest first; on PostgreSQL locked, so another runner
        takes others (each replica runs the job)."""
        r = SendRecordRow
        statement = (sa.select(r).where(r.status == PENDING, r.next_attempt_at <= now)
                     .order_by(r.next_attempt_at, r.id).limit(limit))
        if self.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        return [_record(row) for row in self.session.scalars(statement)]

    def save(self, record: SendRecord) -> None:
        _copy_state(record, self.session.get(SendRecordRow, record.id))

    def of_person(self, person_id: str) -> list[SendRecord]:
        rows = self.session.scalars(sa.select(SendRecordRow).where(SendRecordRow.person_id == person_id)
                                    .order_by(SendRecordRow.created_at, SendRecordRow.id))
        return [_record(row) for row in rows]


def _copy_state(record: SendRecord, row: SendRecordRow) -> None:
    row.status, row.reason, row.attempts = record.status, record.reason, record.attempts
    row.next_attempt_at, row.last_error, row.finished_at = record.next_attempt_at, record.last_error, record.finished_at


def _record(row: SendRecordRow) -> SendRecord:
    return SendRecord(row.id, row.event_id, row.channel, Reminder.from_data(row.reminder), row.created_at,
                      row.status, row.reason, row.attempts, row.next_attempt_at, row.last_error, row.finished_at)


def _reminder_data(reminder: Reminder) -> dict:
    return {"appointment_id": reminder.appointment_id, "person_id": reminder.person_id, "org_id": reminder.org_id,
            "starts_at": reminder.starts_at.isoformat(), "duration_minutes": reminder.duration_minutes,
            "channel": reminder.mode, "location": reminder.location, "reminder": reminder.kind}
