"""Events in: a reminder due becomes one send record per channel; a contact change replaces the
person's contact. Both run in the consumer's transaction, with the event's id (core.consumer): the
records exist once the offset is committed, and a replay finds the event applied and adds nothing."""
from __future__ import annotations

from datetime import datetime

from services.notifications.domain.contact import CHANNELS, Contact
from services.notifications.domain.reminder import Reminder, parse_time
from services.notifications.domain.send_record import APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, SendRecord
from services.notifications.service.unit_of_work import NotificationsUnitOfWork


def on_reminder_due(uow: NotificationsUnitOfWork, event_id: str, data: dict, now: datetime) -> None:
    reminder = Reminder.from_data(data)
    for channel in CHANNELS:
        record = SendRecord.new(event_id, channel, reminder, now)
        # The record's id derives from the event's: the processed-event id already keeps a replay out,
        # and this keeps out a second consumer group reading the same topic into the same database.
        if not uow.records.exists(record.id):
            uow.records.add(record)


def on_contact_changed(uow: NotificationsUnitOfWork, data: dict, changed_at: datetime) -> None:
    contact = Contact.from_data(data)
    known = uow.contacts.changed_at(contact.person_id)
    if known is not None and known > changed_at:
        return  # one topic keyed by person keeps their changes in order; an older one read late changes nothing
    uow.contacts.save(contact, changed_at)


def on_appointment_cancelled(uow: NotificationsUnitOfWork, data: dict, now: datetime) -> None:
    _withdraw(uow, data, APPOINTMENT_CANCELLED, now)


def on_appointment_moved(uow: NotificationsUnitOfWork, data: dict, now: datetime) -> None:
    """The reminders of the previous time are withdrawn; those orientation announces for the new time
    (`starts_at`) come as events of their own, and one read already is kept."""
    _withdraw(uow, data, APPOINTMENT_MOVED, now, keep_starts_at=parse_time(data["starts_at"]))


def _withdraw(uow: NotificationsUnitOfWork, data: dict, reason: str, now: datetime, *,
              keep_starts_at: datetime | None = None) -> None:
    # One topic, keyed by person, carries reminders and these events in the order orientation committed
    # them: every reminder announced before the change has its records here already.
    for record in uow.records.of_person(data["person_id"]):
        if record.reminder.appointment_id == data["appointment_id"] and record.reminder.starts_at != keep_starts_at:
            record.withdraw(reason, now)
            uow.records.save(record)
