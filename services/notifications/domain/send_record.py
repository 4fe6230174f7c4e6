"""A send record: one reminder on one channel, from the moment its event is read until it is sent,
skipped (and why) or given up (which tells the referent organisation).

Its id is derived from the reminder event's id and the channel, so it is the same whoever creates it
(a replay into an empty database included): the SMS provider receives it as its idempotency key, and
the e-mail as its Message-ID, so the one message a crash may send twice (service/sending.py) carries
the same identity both times.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.notifications.domain.contact import EMAIL, Contact
from services.notifications.domain.reminder import Reminder

PENDING, SENT, SKIPPED, FAILED = "pending", "sent", "skipped", "failed"
# Why a channel was not used: the person opted out of it, gave no address for it, no contact of theirs
# arrived in time, or the appointment began before the message could go; or the person cancelled the
# appointment, or moved it (the reminders of the new time are records of their own).
OPTED_OUT, NO_ADDRESS, NO_CONTACT, APPOINTMENT_STARTED = "opted_out", "no_address", "no_contact", "appointment_started"
APPOINTMENT_CANCELLED, APPOINTMENT_MOVED = "appointment_cancelled", "appointment_moved"
UNUSABLE_ADDRESS = "unusable_address"  # a phone number no SMS can be sent to
NAMESPACE = uuid.UUID("6f1c1d8e-4b0a-4c55-9a53-2f0a5b7c9e11")


def record_id(event_id: str, channel: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{event_id}/{channel}"))


@dataclass(frozen=True)
class RetryPolicy:
    """`max_attempts` in all; after the n-th failure, the next attempt comes `first_delay * factor**(n-1)`
    later, `longest_delay` at most."""

    max_attempts: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    factor: int = 4
    longest_delay: timedelta = timedelta(minutes=30)

    def next_attempt(self, attempts_made: int, failed_at: datetime) -> datetime | None:
        if attempts_made >= self.max_attempts:
            return None
        return failed_at + min(self.first_delay * self.factor ** (attempts_made - 1), self.longest_delay)


@dataclass(frozen=True)
class MessageFailed:
    record: "SendRecord"
    at: datetime


@dataclass
class SendRecord:
    id: str
    event_id: str
    channel: str
    reminder: Reminder
    created_at: datetime
    status: str = PENDING
    reason: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    finished_at: datetime | None = None
    events: list[MessageFailed] = field(default_factory=list)

    @classmethod
    def new(cls, event_id: str, channel: str, reminder: Reminder, now: datetime) -> "SendRecord":
        return cls(record_id(event_id, channel), event_id, channel, reminder, now, next_attempt_at=now)

    def prepare(self, contact: Contact | None, now: datetime, *, contact_wait: timedelta,
                lease: timedelta) -> str | None:
        """The address to send to now, the attempt counted and the record leased until `now + lease`
        (so a crash before its outcome is recorded has it attempted again then); or None, the record
        skipped, given up or postponed."""
        if now >= self.reminder.starts_at:
            if self.attempts:
                self.give_up("appointment started", now)
            else:
                self._skip(APPOINTMENT_STARTED, now)
            return None
        if contact is None:
            if now - self.created_at < contact_wait:  # registration's topic may come later than orientation's
                self.next_attempt_at = now + min(contact_wait, timedelta(seconds=5))
                return None
            self._skip(NO_CONTACT, now)
            return None
        if self.channel in contact.opted_out_channels:
            self._skip(OPTED_OUT, now)
            return None
        if not (contact.email if self.channel == EMAIL else contact.phone):
            self._skip(NO_ADDRESS, now)
            return None
        address = contact.address(self.channel)
        if address is None:
            self._skip(UNUSABLE_ADDRESS, now)
            return None
        self.attempts += 1
        self.next_attempt_at = now + lease
        return address

    def sent(self, now: datetime) -> None:
        self.status, self.finished_at, self.next_attempt_at, self.last_error = SENT, now, None, None

    def attempt_failed(self, error: str, now: datetime, policy: RetryPolicy) -> None:
        self.last_error = error[:200]
        following = policy.next_attempt(self.attempts, now)
        if following is None or following >= self.reminder.starts_at:
            self.give_up(error, now)
        else:
            self.next_attempt_at = following

    def give_up(self, error: str, now: datetime) -> None:
        self.status, self.finished_at, self.next_attempt_at, self.last_error = FAILED, now, None, error[:200]
        self.events.append(MessageFailed(self, now))

    def withdraw(self, reason: str, now: datetime) -> None:
        """Not to be sent any more (the appointment was cancelled or moved); one already sent or given up stays so."""
        if self.status == PENDING:
            self._skip(reason, now)

    def _skip(self, reason: str, now: datetime) -> None:
        self.status, self.reason, self.finished_at, self.next_attempt_at = SKIPPED, reason, now, None
