"""The send, skip and retry rules, on fakes: each reminder goes once per channel the person did not opt
out of and has an address for; failures come back per the policy, then tell the referent."""
from datetime import datetime, timedelta, timezone

from services.notifications.domain.contact import EMAIL, SMS
from services.notifications.domain.send_record import (
    APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_STARTED, FAILED, NO_ADDRESS, NO_CONTACT, OPTED_OUT, PENDING,
    SENT, SKIPPED, UNUSABLE_ADDRESS, RetryPolicy, record_id,
)
from services.notifications.published import MESSAGE_FAILED
from services.notifications.service.handlers import (
    on_appointment_cancelled, on_appointment_moved, on_contact_changed, on_reminder_due,
)
from services.notifications.service.sending import Sender
from services.notifications.tests.builders import cancelled_data, contact_data, moved_data, reminder_data
from services.notifications.tests.fakes import FakeChannel, FakeStore

NOW = datetime(2026, 12, 8, 13, 30, tzinfo=timezone.utc)
STARTS = NOW + timedelta(hours=48)
EVENT = "0193a6f2-c1e8-7b3d-9f2a-4c5e6b7d8e9f"
SPACE = "http://127.0.0.1:8000/espace-personnel/"


def setup(*, contact: dict | None = None, policy: RetryPolicy = RetryPolicy(), **reminder):
    store, mail, sms = FakeStore(), FakeChannel(), FakeChannel()
    data = reminder_data(starts_at=reminder.pop("starts_at", STARTS), **reminder)
    with store.transaction() as uow:
        if contact is not None:
            on_contact_changed(uow, {**contact_data(data["person_id"]), **contact}, NOW - timedelta(days=1))
        on_reminder_due(uow, EVENT, data, NOW)
    sender = Sender(store.transaction, mail, sms, space_url=SPACE, policy=policy, contact_wait=timedelta(minutes=10))
    return store, sender, mail, sms, data


def status(store: FakeStore, channel: str) -> tuple:
    record = store.records.rows[record_id(EVENT, channel)]
    return record.status, record.reason, record.attempts


def test_a_reminder_goes_once_by_email_and_by_sms_under_its_record_id():
    store, sender, mail, sms, _ = setup(contact={})
    assert sender.run(NOW) == 2
    assert sender.run(NOW + timedelta(hours=1)) == 0
    assert [(m[0], m[1]) for m in mail.sent] == [(record_id(EVENT, EMAIL), "camille.martin@example.org")]
    assert [(m[0], m[1]) for m in sms.sent] == [(record_id(EVENT, SMS), "+33612345678")]
    assert status(store, EMAIL) == status(store, SMS) == (SENT, None, 1)


def test_the_same_event_read_again_adds_no_record():
    store, sender, _, _, data = setup(contact={})
    with store.transaction() as uow:
        on_reminder_due(uow, EVENT, data, NOW)
    assert len(store.records.rows) == 2


def test_a_channel_opted_out_of_is_never_used_and_the_record_says_why():
    store, sender, mail, sms, _ = setup(contact={"opted_out_channels": ["sms"]})
    sender.run(NOW)
    assert len(mail.sent) == 1 and sms.sent == []
    assert status(store, SMS) == (SKIPPED, OPTED_OUT, 0)


def test_a_channel_without_an_address_is_skipped_and_the_record_says_why():
    store, sender, mail, sms, _ = setup(contact={"phone": None})
    sender.run(NOW)
    assert sms.sent == [] and status(store, SMS) == (SKIPPED, NO_ADDRESS, 0)


def test_a_phone_is_sent_to_as_e164_and_one_that_is_no_number_is_skipped():
    store, sender, mail, sms, _ = setup(contact={"phone": "06.12.34.56.78"})
    sender.run(NOW)
    assert [m[1] for m in sms.sent] == ["+33612345678"]
    store, sender, mail, sms, _ = setup(contact={"phone": "demandez à l'accueil"})
    sender.run(NOW)
    assert sms.sent == [] and status(store, SMS) == (SKIPPED, UNUSABLE_ADDRESS, 0)


def test_a_reminder_waits_for_a_contact_still_to_come_then_is_skipped():
    store, sender, mail, sms, data = setup()
    assert sender.run(NOW) == 0
    assert status(store, EMAIL) == (PENDING, None, 0)
    with store.transaction() as uow:  # the contact arrives within the wait: both go
        on_contact_changed(uow, contact_data(data["person_id"]), NOW)
    assert sender.run(NOW + timedelta(minutes=1)) == 2

    store, sender, mail, sms, _ = setup()
    sender.run(NOW + timedelta(minutes=11))
    assert status(store, EMAIL) == (SKIPPED, NO_CONTACT, 0) and mail.sent == []


def test_an_older_contact_read_late_does_not_replace_a_newer_one():
    store, _, _, _, data = setup(contact={"email": "new@example.org"})
    with store.transaction() as uow:
        on_contact_changed(uow, contact_data(data["person_id"], email="old@example.org"), NOW - timedelta(days=2))
    assert store.contacts.get(data["person_id"]).email == "new@example.org"


def test_a_failure_is_retried_with_backoff_then_tells_the_referent():
    store, sender, mail, sms, data = setup(contact={"opted_out_channels": ["sms"]},
                                           policy=RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=30)))
    mail.failures = ["smtp 451", "smtp 451", "ConnectionRefusedError"]
    sender.run(NOW)
    assert status(store, EMAIL) == (PENDING, None, 1)
    assert sender.run(NOW + timedelta(seconds=29)) == 0  # not before its delay
    sender.run(NOW + timedelta(seconds=30))
    assert status(store, EMAIL) == (PENDING, None, 2)
    assert sender.run(NOW + timedelta(seconds=30 + 119)) == 0  # the next delay is four times longer
    sender.run(NOW + timedelta(seconds=30 + 120))
    assert status(store, EMAIL) == (FAILED, None, 3) and mail.sent == []
    [failed] = store.events.of_type(MESSAGE_FAILED)
    assert failed.subject == data["person_id"]
    assert failed.data | {"failed_at": None} == {
        "message_id": record_id(EVENT, EMAIL), "reminder_event_id": EVENT, "person_id": data["person_id"],
        "org_id": "ml-nantes-metropole", "appointment_id": data["appointment_id"], "starts_at": data["starts_at"],
        "reminder": "48h", "channel": "email", "attempts": 3, "error": "ConnectionRefusedError", "failed_at": None}
    assert sender.run(NOW + timedelta(days=1)) == 0


def test_a_failure_whose_retry_would_come_after_the_appointment_is_given_up_at_once():
    store, sender, mail, _, _ = setup(contact={"opted_out_channels": ["sms"]}, kind="2h",
                                      starts_at=NOW + timedelta(seconds=60))
    mail.failures = ["smtp 451", "smtp 451"]
    sender.run(NOW)
    sender.run(NOW + timedelta(seconds=30))
    assert status(store, EMAIL) == (FAILED, None, 2)
    assert len(store.events.of_type(MESSAGE_FAILED)) == 1


def test_a_reminder_read_after_its_appointment_began_is_skipped_not_sent():
    store, sender, mail, sms, _ = setup(contact={}, starts_at=NOW - timedelta(minutes=1))
    assert sender.run(NOW) == 0
    assert status(store, EMAIL) == (SKIPPED, APPOINTMENT_STARTED, 0) and store.events.emitted == []


def test_a_crash_between_a_send_and_its_record_sends_that_one_message_again_after_the_lease():
    store, sender, mail, sms, _ = setup(contact={})
    attempts, _ = sender.claim(NOW)
    first, second = attempts
    sender.send(first)  # ... and the process dies before recording it, or the second's send
    assert sender.run(NOW + timedelta(minutes=9)) == 0  # leased: no other run takes them meanwhile
    sender.run(NOW + timedelta(minutes=10))
    sent = [m[0] for m in mail.sent + sms.sent]
    assert sorted(sent) == sorted([first.record_id, first.record_id, second.record_id])
    assert status(store, first.channel)[0] == status(store, second.channel)[0] == SENT


def test_a_cancelled_appointment_is_not_reminded_and_a_sent_reminder_stays_sent():
    store, sender, mail, sms, data = setup(contact={})
    with store.transaction() as uow:
        on_appointment_cancelled(uow, cancelled_data(data, at=NOW), NOW)
    assert sender.run(NOW) == 0 and mail.sent == sms.sent == []
    assert status(store, EMAIL) == status(store, SMS) == (SKIPPED, APPOINTMENT_CANCELLED, 0)

    store, sender, mail, sms, data = setup(contact={})
    sender.run(NOW)
    with store.transaction() as uow:
        on_appointment_cancelled(uow, cancelled_data(data, at=NOW), NOW)
    assert status(store, EMAIL) == (SENT, None, 1)


def test_a_moved_appointment_keeps_the_reminders_of_its_new_time_only():
    store, sender, mail, sms, data = setup(contact={})
    later = STARTS + timedelta(days=2)
    new_time = reminder_data(data["person_id"], starts_at=later)
    new_time["appointment_id"] = data["appointment_id"]
    with store.transaction() as uow:
        on_reminder_due(uow, "0193a6f2-c1e8-7b3d-9f2a-4c5e6b7d8e90", new_time, NOW)  # read before the move
        on_appointment_moved(uow, moved_data(data, to=later, at=NOW), NOW)
    assert status(store, EMAIL) == (SKIPPED, APPOINTMENT_MOVED, 0)
    assert sender.run(NOW) == 2
    assert [m[0] for m in mail.sent] == [record_id("0193a6f2-c1e8-7b3d-9f2a-4c5e6b7d8e90", EMAIL)]
