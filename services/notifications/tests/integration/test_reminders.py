"""Reminders through the real broker to a real SMTP server and a real HTTP SMS receiver (the mail
catcher), on SQLite and PostgreSQL: each sent once, also after a restart and a replay from offset 0,
never on a channel opted out of nor for an appointment cancelled; a failing SMTP server retried, then the
referent told."""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.core.events import Envelope
from services.notifications.consumers import CONSUMER
from services.notifications.domain.send_record import APPOINTMENT_CANCELLED as CANCELLED, record_id
from services.notifications.published import MESSAGES
from services.notifications.service.sending import LEASE
from services.notifications.tests.builders import cancelled_data, contact_data, reminder_data
from services.notifications.tests.integration.conftest import send_job
from services.orientation.published import APPOINTMENT_CANCELLED, APPOINTMENT_REMINDER_DUE
from services.registration.published import CONTACT_CHANGED
from tests.support.kafka import unique_prefix
from tests.support.polling import table_rows

pytestmark = pytest.mark.integration
RECORDS = "SELECT channel, status, reason, attempts FROM notification_send_records WHERE person_id = :p ORDER BY channel"


def publish(broker, event_type, source: str, data: dict, event_id: str | None = None) -> str:
    envelope = Envelope(type=event_type.name, source=source, subject=data["person_id"], data=data,
                        **({"id": event_id} if event_id else {}))
    broker.produce(event_type.topic.address, data["person_id"], envelope.to_json())
    return envelope.id


@dataclass(frozen=True)
class Addresses:
    """The app replays every topic from offset 0, other tests' reminders included (a fresh database
    sends them again): each test's people have addresses of their own, and what was caught is read by them."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def camille(self) -> str:
        return f"camille-{self.run}@example.org"

    @property
    def dominique(self) -> str:
        return f"dominique-{self.run}@example.org"

    @property
    def phone(self) -> str:
        return f"+336{int(self.run, 16) % 10**8:08d}"

    def caught(self, catcher) -> tuple[list, list]:
        return ([m for m in catcher.mails() if m["To"] in (self.camille, self.dominique)],
                [s for s in catcher.sms() if s["to"] == self.phone])


def person_with_reminder(broker, database_url, with_data: bool = False, **contact) -> tuple:
    """A person's contact and a reminder of an appointment in two days, both read into the service."""
    person = str(uuid.uuid4())
    publish(broker, CONTACT_CHANGED, "registration", contact_data(person, **contact))
    reminder = reminder_data(person, starts_at=utcnow() + timedelta(hours=48))
    event_id = publish(broker, APPOINTMENT_REMINDER_DUE, "orientation", reminder)
    table_rows(database_url, "SELECT person_id FROM notification_contacts WHERE person_id = :p", {"p": person},
               lambda rows: len(rows) == 1)
    table_rows(database_url, RECORDS, {"p": person}, lambda rows: len(rows) == 2)
    return (person, event_id, reminder) if with_data else (person, event_id)


def caught_up(broker, group: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while broker.lag(group) != 0:
        assert time.monotonic() < deadline, "the notifications consumer never caught up"
        time.sleep(0.5)


def test_a_reminder_is_sent_once_by_email_and_sms_across_restarts_and_replays(start, broker, database_url, catcher):
    prefix, to = unique_prefix(), Addresses()
    with start(prefix) as client:
        camille, event_id = person_with_reminder(broker, database_url, email=to.camille, phone=to.phone)
        # Another person opted out of SMS: the e-mail alone goes.
        opted_out, _ = person_with_reminder(broker, database_url, email=to.dominique, phone=to.phone,
                                            opted_out=("sms",))
        # A third cancelled her appointment after its reminder was announced: nothing goes.
        cancelled, _, announced = person_with_reminder(broker, database_url, email=to.camille, phone=to.phone,
                                                       with_data=True)
        publish(broker, APPOINTMENT_CANCELLED, "orientation", cancelled_data(announced, at=utcnow()))
        table_rows(database_url, RECORDS, {"p": cancelled}, lambda rows: {row[2] for row in rows} == {CANCELLED})
        send_job(client).run(utcnow())

    mails, sms = to.caught(catcher)
    assert sorted(m["To"] for m in mails) == [to.camille, to.dominique]
    [mail] = [m for m in mails if m["To"] == to.camille]
    assert mail["Message-ID"] == f"<{record_id(event_id, 'email')}@france-travail.local>"
    assert "premier rendez-vous avec votre organisme référent" in mail.get_body().get_content()
    assert "/espace-personnel/" in mail.get_body().get_content()
    assert [(s["to"], s["idempotency_key"]) for s in sms] == [(to.phone, record_id(event_id, "sms"))]
    assert table_rows(database_url, RECORDS, {"p": opted_out}, lambda rows: len(rows) == 2) == [
        ("email", "sent", None, 1), ("sms", "skipped", "opted_out", 0)]

    # The same consumer restarted, and the reminder event published again (a relay republishing after a
    # crash): its id is already applied. Then a new consumer group replays everything from offset 0 into
    # the same database: the send records exist already. Nothing is sent again.
    with start(prefix) as client:
        publish(broker, APPOINTMENT_REMINDER_DUE, "orientation",
                reminder_data(camille, starts_at=utcnow() + timedelta(hours=48)), event_id=event_id)
        caught_up(broker, prefix + CONSUMER)
        send_job(client).run(utcnow())
    replay = unique_prefix()
    with start(replay) as client:
        caught_up(broker, replay + CONSUMER)
        send_job(client).run(utcnow())
    mails, sms = to.caught(catcher)
    assert len(mails) == 2 and len(sms) == 1
    assert table_rows(database_url, RECORDS, {"p": camille}, lambda rows: len(rows) == 2) == [
        ("email", "sent", None, 1), ("sms", "sent", None, 1)]


def test_a_failing_smtp_server_is_retried_then_the_referent_is_told(start, broker, database_url, catcher):
    catcher.smtp_failure = "451 4.3.0 Try again later"
    since = broker.end_offsets(MESSAGES.address)
    with start(unique_prefix()) as client:
        to = Addresses()
        person, event_id = person_with_reminder(broker, database_url, email=to.camille, phone=None)
        job, now = send_job(client), utcnow()
        job.run(now)
        assert table_rows(database_url, RECORDS, {"p": person}, lambda rows: len(rows) == 2) == [
            ("email", "pending", None, 1), ("sms", "skipped", "no_address", 0)]
        job.run(now + timedelta(seconds=30))  # the policy's first delay, then four times longer
        job.run(now + timedelta(seconds=150))
        assert table_rows(database_url, RECORDS, {"p": person}, lambda rows: rows[0][1] == "failed")[0] == (
            "email", "failed", None, 3)
        [failed] = broker.events(MESSAGES.address, since, person, count=1)
        scraped = client.get("/metrics").text  # what operators watch
    assert 'notifications_messages_total{channel="email",outcome="failed",reason=""}' in scraped
    assert to.caught(catcher) == ([], [])
    assert failed["type"] == "notifications.message.failed.v1"
    assert failed["data"]["org_id"] == "ml-nantes-metropole"
    assert {k: failed["data"][k] for k in ("message_id", "reminder_event_id", "channel", "attempts", "error")} == {
        "message_id": record_id(event_id, "email"), "reminder_event_id": event_id, "channel": "email", "attempts": 3,
        "error": "smtp 451"}


def test_a_crash_between_a_send_and_its_record_sends_that_message_again_and_the_sms_provider_drops_it(
        start, broker, database_url, catcher):
    prefix, to = unique_prefix(), Addresses()
    with start(prefix) as client:
        person, event_id = person_with_reminder(broker, database_url, email=to.camille, phone=to.phone)
        sender, now = client.app.state.notification_sender, utcnow()
        ours, claimed = {record_id(event_id, "email"), record_id(event_id, "sms")}, True
        while ours and claimed:  # batch after batch: the replay's reminders may come first
            attempts, claimed = sender.claim(now)
            for attempt in attempts:
                if attempt.record_id in ours:
                    sender.send(attempt)  # sent; the process dies before recording it
                    ours.remove(attempt.record_id)
        assert not ours
    with start(prefix) as client:
        send_job(client).run(now + LEASE - timedelta(seconds=1))  # leased: not yet
        assert table_rows(database_url, RECORDS, {"p": person}, lambda rows: len(rows) == 2) == [
            ("email", "pending", None, 1), ("sms", "pending", None, 1)]
        send_job(client).run(now + LEASE)
    assert table_rows(database_url, RECORDS, {"p": person}, lambda rows: len(rows) == 2) == [
        ("email", "sent", None, 2), ("sms", "sent", None, 2)]
    mails, sms = to.caught(catcher)
    # The e-mail went twice under one Message-ID (SMTP has no idempotency key); the SMS provider saw the
    # same key twice and kept one.
    assert [m["Message-ID"] for m in mails] == [f"<{record_id(event_id, 'email')}@france-travail.local>"] * 2
    assert [s["idempotency_key"] for s in sms] == [record_id(event_id, "sms")]
