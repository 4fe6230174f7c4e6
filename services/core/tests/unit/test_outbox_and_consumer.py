"""The outbox relay and the idempotent consumer against in-memory doubles of Kafka (SQLite file).

The real broker is exercised by the integration and end-to-end suites; here the doubles let a
test choose exactly which send fails."""
from __future__ import annotations

import json

import pytest
from kafka.errors import KafkaError, KafkaTimeoutError
from sqlalchemy import func, select

from services.core.consumer import IdempotentConsumer, ProcessedEvent
from services.core.db import Base, Database
from services.core.events import InvalidEvent, SchemaRegistry
from services.core.inbound import CAF_RSA_OPENED
from services.core.outbox import Outbox, OutboxMessage, OutboxRelay
from services.core.settings import REPO_ROOT, KafkaAccess

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
UNUSED_BROKER = KafkaAccess("unused:9092")  # the doubles below stand in for its clients
FACT = json.loads((REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json").read_text())


class FakeFuture:
    def __init__(self, error: Exception | None) -> None:
        self.exception = error

    def failed(self) -> bool:
        return self.exception is not None

    def get(self, timeout=None):
        if self.exception:
            raise self.exception


class FakeProducer:
    """Accepts sends in order; `fail_keys` makes those sends fail as a broker error would."""

    def __init__(self, fail_keys: set[bytes] = frozenset(), refuse_keys: set[bytes] = frozenset()) -> None:
        self.sent: list[tuple[str, bytes, bytes, list]] = []
        self.fail_keys = fail_keys
        self.refuse_keys = refuse_keys  # send() itself raises, as when a topic's metadata cannot be fetched

    def send(self, topic, key=None, value=None, headers=None):
        if key in self.refuse_keys:
            raise KafkaTimeoutError("Failed to update metadata after 5.0 secs.")
        if key in self.fail_keys:
            return FakeFuture(KafkaTimeoutError("broker away"))
        self.sent.append((topic, key, value, headers))
        return FakeFuture(None)

    def flush(self, timeout=None):
        pass

    def close(self, timeout=None):
        pass


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'core.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


def add_events(db: Database, subjects: list[str]) -> None:
    outbox = Outbox(SCHEMAS, "caf-44")
    with db.transaction() as session:
        for subject in subjects:
            outbox.add_event(session, CAF_RSA_OPENED, subject, FACT["data"])


def test_the_relay_publishes_in_order_and_marks_rows(db):
    add_events(db, ["a", "b", "a"])
    producer = FakeProducer()
    relay = OutboxRelay(db, UNUSED_BROKER, producer_factory=lambda: producer)
    assert relay.publish_pending() == 3
    assert [key for _, key, _, _ in producer.sent] == [b"a", b"b", b"a"]
    assert relay.publish_pending() == 0  # delivered, not yet marked: not sent twice
    assert published_keys(db) == []
    assert relay.mark_published() == 3
    assert published_keys(db) == ["a", "b", "a"]
    assert relay.publish_pending() == 0 and len(producer.sent) == 3
    headers = dict(producer.sent[0][3])
    assert headers["ce_type"] == b"partners.caf.rsa_opened.v1"


def test_rows_committed_while_others_await_their_mark_go_out_at_once(db):
    add_events(db, ["a"])
    producer = FakeProducer()
    relay = OutboxRelay(db, UNUSED_BROKER, producer_factory=lambda: producer)
    assert relay.publish_pending() == 1
    add_events(db, ["b"])
    assert relay.publish_pending() == 1  # the sender does not wait for the mark of "a"
    assert [key for _, key, _, _ in producer.sent] == [b"a", b"b"]
    assert relay.mark_published() == 2 and relay.mark_published() == 0


def published_keys(db: Database) -> list[str]:
    with db.sessions() as session:
        return session.scalars(select(OutboxMessage.key).where(OutboxMessage.published_at.is_not(None))
                               .order_by(OutboxMessage.id)).all()


def test_a_failed_send_holds_back_the_rows_behind_it(db):
    add_events(db, ["a", "b", "c"])
    relay = OutboxRelay(db, UNUSED_BROKER, producer_factory=lambda: FakeProducer(fail_keys={b"b"}))
    with pytest.raises(KafkaError):
        relay.publish_pending()
    relay.mark_published()
    assert published_keys(db) == ["a"]  # "c" waits for "b", so no key's events overtake each other
    retry = FakeProducer()
    relay._producer = retry
    assert relay.publish_pending() == 2 and [k for _, k, _, _ in retry.sent] == [b"b", b"c"]


def test_an_event_given_twice_is_applied_once(db):
    applied = []
    consumer = IdempotentConsumer("test", db, SCHEMAS, UNUSED_BROKER, {FACT["type"]: lambda s, e: applied.append(e.id)},
                                  ["partners.inbound.v1"], dlq_producer_factory=FakeProducer)
    raw = json.dumps(FACT).encode()
    consumer.process(raw, {})
    consumer.process(raw, {})
    assert applied == [FACT["id"]]
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_a_handler_that_keeps_failing_parks_the_event_and_rolls_back(db, monkeypatch):
    monkeypatch.setattr("services.core.consumer.time.sleep", lambda _: None)
    dlq = FakeProducer()
    calls = []

    def failing(session, event):
        calls.append(event.id)
        raise RuntimeError("downstream bug")

    consumer = IdempotentConsumer("test", db, SCHEMAS, UNUSED_BROKER, {FACT["type"]: failing}, ["partners.inbound.v1"],
                                  max_attempts=3, dlq_producer_factory=lambda: dlq)
    consumer.process(json.dumps(FACT).encode(), {"traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01"})
    assert len(calls) == 3
    topic, _, value, headers = dlq.sent[0]
    assert topic == "partners.inbound.v1.dlq" and json.loads(value)["id"] == FACT["id"]
    assert dict(headers)["dlq_reason"].startswith(b"handler failed: RuntimeError")
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def test_events_of_other_types_are_skipped_and_invalid_ones_parked(db):
    dlq = FakeProducer()
    consumer = IdempotentConsumer("test", db, SCHEMAS, UNUSED_BROKER, {}, ["partners.inbound.v1"],
                                  dlq_producer_factory=lambda: dlq)
    consumer.process(json.dumps(FACT).encode(), {})
    assert dlq.sent == []
    consumer.process(b"[1, 2]", {})
    assert dict(dlq.sent[0][3])["dlq_reason"].startswith(b"invalid event")


def test_an_event_its_schema_rejects_is_never_written(db):
    with pytest.raises(InvalidEvent), db.transaction() as session:
        Outbox(SCHEMAS, "caf-44").add_event(session, CAF_RSA_OPENED, "s", {})
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


class Message:
    """What a Kafka poll yields, as far as the consumer reads it."""

    def __init__(self, value: bytes, offset: int) -> None:
        self.value, self.offset, self.headers = value, offset, []
        self.topic, self.partition, self.key = "partners.inbound.v1", 0, None


def facts(*ids: str) -> list[Message]:
    return [Message(json.dumps({**FACT, "id": event_id}).encode(), offset) for offset, event_id in enumerate(ids)]


def batch_consumer(db, handler, dlq=None) -> IdempotentConsumer:
    return IdempotentConsumer("test", db, SCHEMAS, UNUSED_BROKER, {FACT["type"]: handler}, ["partners.inbound.v1"],
                              dlq_producer_factory=lambda: dlq or FakeProducer())


def processed(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent))


def test_a_batch_applies_each_event_once_in_order(db):
    applied = []
    ids = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(4)]
    consumer = batch_consumer(db, lambda s, e: applied.append(e.id))
    consumer.process_batch(facts(ids[0], ids[1], ids[0], ids[2]))
    consumer.process_batch(facts(ids[2], ids[3]))  # a re-delivery overlapping the first batch
    assert applied == ids and processed(db) == 4


def test_a_failing_handler_in_a_batch_rolls_it_back_and_each_event_is_redone_alone(db, monkeypatch):
    monkeypatch.setattr("services.core.consumer.time.sleep", lambda _: None)
    ids = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(3)]
    attempts, kept = [], []

    def flaky(session, event):
        attempts.append(event.id)
        session.add(ProcessedEvent(consumer="effect", event_id=event.id))  # the handler's own effect
        if event.id == ids[1] and attempts.count(ids[1]) == 1:
            raise RuntimeError("transient")
        kept.append(event.id)

    batch_consumer(db, flaky).process_batch(facts(*ids))
    assert attempts == [ids[0], ids[1], ids[0], ids[1], ids[2]]  # the batch, then one by one
    with db.sessions() as session:
        effects = session.scalars(select(ProcessedEvent.event_id).where(ProcessedEvent.consumer == "effect")).all()
    assert sorted(effects) == ids  # the rolled-back batch left nothing behind: each effect once


def test_a_batch_handler_gets_each_runs_new_events_together_and_a_redone_event_alone(db, monkeypatch):
    monkeypatch.setattr("services.core.consumer.time.sleep", lambda _: None)
    ids = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(4)]
    calls = []

    def together(session, events):
        calls.append([event.id for event in events])
        if ids[3] in calls[-1] and len(calls[-1]) > 1:
            raise RuntimeError("one event of the run fails: the run is redone event by event")

    consumer = IdempotentConsumer("test", db, SCHEMAS, UNUSED_BROKER, {FACT["type"]: lambda s, e: None},
                                  ["partners.inbound.v1"], batch_handler=together)
    consumer.process_batch(facts(ids[0], ids[1], ids[0]))  # the same event twice in a run: once
    consumer.process_batch(facts(ids[1], ids[2], ids[3]))  # a re-delivery overlapping the first run
    assert calls == [[ids[0], ids[1]], [ids[2], ids[3]], [ids[2]], [ids[3]]]
    assert processed(db) == 4


def test_an_invalid_event_in_a_batch_is_parked_and_the_others_applied(db):
    applied, dlq = [], FakeProducer()
    good = "00000000-0000-4000-8000-000000000001"
    messages = facts(good) + [Message(b"not json", 1)]
    batch_consumer(db, lambda s, e: applied.append(e.id), dlq).process_batch(messages)
    assert applied == [good] and processed(db) == 1
    assert dict(dlq.sent[0][3])["dlq_reason"].startswith(b"invalid event")


def test_rows_queued_before_a_refused_send_are_published_once(db):
    """A send refused mid-batch (no metadata while the broker is away) must not make the relay send
    the rows already queued again: they go out when the broker is back, and are marked then."""
    add_events(db, ["a", "b", "c"])
    producer = FakeProducer(refuse_keys={b"b"})
    relay = OutboxRelay(db, UNUSED_BROKER, producer_factory=lambda: producer)
    with pytest.raises(KafkaError):
        relay.publish_pending()
    relay.mark_published()
    producer.refuse_keys = set()
    assert relay.publish_pending() == 2
    assert [key for _, key, _, _ in producer.sent] == [b"a", b"b", b"c"]  # "a" once, then the rest in order
