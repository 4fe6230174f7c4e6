"""The send job: each pending record due is judged on the person's current contact, then sent, and
its outcome recorded; failures come back per the retry policy, and a record given up tells the
referent organisation (notifications.message.failed.v1, through the outbox).

Exactly once, across restarts. A run claims a batch in one transaction: each record to send has its
attempt counted and is leased (its next attempt moved `lease` ahead, so no other runner takes it),
and that commits before anything is sent. Then the messages go one at a time, each outcome committed
in its own transaction right after its send. So a crash (or a lost database) between a send and its
commit leaves exactly that one record leased-but-unrecorded: it is attempted again once the lease
ends, and that one message may go out twice. The records claimed after it were never sent and simply
go at their turn. The second send carries the same record id: the SMS provider gets it as its
idempotency key and drops the duplicate; an e-mail gets it as its Message-ID (adapters/smtp.py).
A crash before the claim commits sends nothing; records are only created in the consumer's transaction
(service/handlers.py), so a replay of the reminder events creates none again.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from opentelemetry import metrics

from services.notifications.domain.contact import EMAIL
from services.notifications.domain.message import Text, compose
from services.notifications.domain.send_record import PENDING, RetryPolicy, SendRecord
from services.notifications.domain.senders import Mailer, SendFailed, SmsGateway
from services.notifications.service.publishing import publish
from services.notifications.service.unit_of_work import NotificationsUnitOfWork

log = logging.getLogger("notifications.sending")

# Longer than a batch takes to send (BATCH sends of at most ~15 s each), so a record is never taken
# again while its run still holds it.
LEASE = timedelta(minutes=10)
BATCH = 20
# How long a reminder waits for the person's contact, whose topic may be read later than orientation's.
CONTACT_WAIT = timedelta(minutes=10)

# What operators watch: failing SMTP or SMS provider (retry, failed), people unreachable (skipped and why).
_messages = metrics.get_meter("notifications").create_counter(
    "notifications.messages", unit="{message}",
    description="Reminder messages by channel and outcome: sent, retry, failed, or skipped with its reason.")

Transaction = Callable[[], AbstractContextManager[NotificationsUnitOfWork]]


@dataclass(frozen=True)
class Attempt:
    record_id: str
    channel: str
    address: str
    text: Text


class Sender:
    def __init__(self, transaction: Transaction, mailer: Mailer, sms: SmsGateway, *, space_url: str,
                 policy: RetryPolicy = RetryPolicy(), contact_wait: timedelta = CONTACT_WAIT,
                 lease: timedelta = LEASE, batch: int = BATCH) -> None:
        self.transaction, self.mailer, self.sms, self.space_url = transaction, mailer, sms, space_url
        self.policy, self.contact_wait, self.lease, self.batch = policy, contact_wait, lease, batch

    def run(self, now: datetime) -> int:
        """Send every record due at `now`; returns how many sends were attempted."""
        made = 0
        while True:
            attempts, claimed = self.claim(now)
            for attempt in attempts:
                self.record(attempt, self.send(attempt), now)
            made += len(attempts)
            if claimed < self.batch:  # every record claimed left the due set: a full batch may hide more
                return made

    def claim(self, now: datetime) -> tuple[list[Attempt], int]:
        attempts = []
        with self.transaction() as uow:
            due = uow.records.due(now, self.batch)
            for record in due:
                address = record.prepare(uow.contacts.get(record.reminder.person_id), now,
                                         contact_wait=self.contact_wait, lease=self.lease)
                uow.records.save(record)
                publish(uow.events, record)
                if address is not None:
                    text = compose(record.reminder, record.channel, self.space_url)
                    attempts.append(Attempt(record.id, record.channel, address, text))
                elif record.status != PENDING:
                    _count(record)
                    log.info("reminder %s on %s: %s", record.id, record.channel, record.reason or record.status,
                             extra={"event_id": record.event_id})
        return attempts, len(due)

    def send(self, attempt: Attempt) -> str | None:
        """None when the message went, else what failed (no address, no text: it may be published)."""
        try:
            if attempt.channel == EMAIL:
                self.mailer.send(attempt.record_id, attempt.address, attempt.text.subject, attempt.text.body)
            else:
                self.sms.send(attempt.record_id, attempt.address, attempt.text.body)
        except SendFailed as exc:
            return str(exc) or type(exc).__name__
        return None

    def record(self, attempt: Attempt, error: str | None, now: datetime) -> None:
        with self.transaction() as uow:
            record = uow.records.get(attempt.record_id)
            if record is None or record.status != PENDING:
                return
            if error is None:
                record.sent(now)
            else:
                record.attempt_failed(error, now, self.policy)
                log.warning("reminder %s on %s failed (attempt %d): %s", record.id, record.channel, record.attempts,
                            error, extra={"event_id": record.event_id})
            uow.records.save(record)
            publish(uow.events, record)
        _count(record)


def _count(record: SendRecord) -> None:
    outcome = "retry" if record.status == PENDING else record.status
    _messages.add(1, {"channel": record.channel, "outcome": outcome, "reason": record.reason or ""})
