"""The send records' domain events as the events other services read."""
from __future__ import annotations

from datetime import datetime

from services.core.uow import EventSink
from services.notifications.domain.send_record import MessageFailed, SendRecord
from services.notifications.published import MESSAGE_FAILED


def publish(events: EventSink, record: SendRecord) -> None:
    for event in record.events:
        events.emit(MESSAGE_FAILED, record.reminder.person_id, failed_data(event))
    record.events.clear()


def failed_data(event: MessageFailed) -> dict:
    record = event.record
    reminder = record.reminder
    return {"message_id": record.id, "reminder_event_id": record.event_id, "person_id": reminder.person_id,
            "org_id": reminder.org_id, "appointment_id": reminder.appointment_id, "starts_at": iso(reminder.starts_at),
            "reminder": reminder.kind, "channel": record.channel, "attempts": record.attempts,
            "error": record.last_error or "unknown", "failed_at": iso(event.at)}


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
