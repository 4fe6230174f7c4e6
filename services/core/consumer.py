"""Idempotent consumer: each event's effects and its id commit together, offsets after.

Re-delivery (a crash before the offset commit, a relay republishing after a crash, a replay from
offset 0) finds the event id already recorded and does nothing, so an event is applied once.
A message that cannot be parsed, or whose handler keeps failing, goes to `<topic>.dlq` with the
reason in its headers after bounded retries, and the partition moves on.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kafka import OffsetAndMetadata
from kafka.errors import KafkaError
from sqlalchemy import String, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from opentelemetry.trace import SpanKind

from services.core.db import Base, Database, UTCDateTime, among, insert_rows, utcnow
from services.core.events import Envelope, InvalidEvent, SchemaRegistry
from services.core.broker import DLQ_SUFFIX, make_consumer, make_producer
from services.core.metrics import count_applied, count_dead_lettered, record_consumer_lag
from services.core.settings import KafkaAccess
from services.core.telemetry import batch_span, current_trace_id, kafka_headers_to_dict, span_from_headers

log = logging.getLogger("core.consumer")

Handler = Callable[[Session, Envelope], None]
# A projection summing many events (indicators) takes a transaction's events at once: it can then
# read and write per transaction rather than per event, which held replays to a few hundred a second.
BatchHandler = Callable[[Session, list[Envelope]], None]
# Events applied per transaction while all goes well; bounded so a run never holds the database long.
TRANSACTION_SIZE = 100
# A batch handler's run: what it reads and writes once per run is paid over more events (indicators'
# replay), and each poll brings that many, so a run is not cut short by the poll.
BATCH_TRANSACTION_SIZE = 1000
# The DLQ counter's event type for a message that is not a valid event: its claimed type is not to be trusted.
UNPARSEABLE = "unparseable"


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


PROCESSED = ProcessedEvent.__table__


class IdempotentConsumer:
    def __init__(self, name: str, db: Database, schemas: SchemaRegistry, kafka: KafkaAccess,
                 handlers: dict[str, Handler], topics: list[str], *, max_attempts: int = 3,
                 dlq_producer_factory: Callable[[], Any] | None = None,
                 batch_handler: BatchHandler | None = None) -> None:
        """`batch_handler`: when given, each transaction's events of the types in `handlers` go to it
        together, in order; an event redone alone (after a failed run) goes to it as a list of one."""
        self.name = name
        self.batch_handler = batch_handler
        self.transaction_size = TRANSACTION_SIZE if batch_handler is None else BATCH_TRANSACTION_SIZE
        self.db = db
        self.schemas = schemas
        self.kafka = kafka
        self.handlers = handlers
        self.topics = topics
        self.max_attempts = max_attempts
        self.dlq_producer_factory = dlq_producer_factory or (lambda: make_producer(kafka))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._dlq_producer = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"consumer-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)
        if self._dlq_producer is not None:
            self._dlq_producer.close(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            consumer = None
            try:
                consumer = make_consumer(self.kafka, self.name, self.topics,
                                         **({} if self.batch_handler is None else {"max_poll_records": self.transaction_size}))
                while not self._stop.is_set():
                    # Whatever one poll returned, at once: a run never waits for more events to come.
                    batches = consumer.poll(timeout_ms=500)
                    for messages in batches.values():
                        self.process_batch(messages)
                    if batches:
                        # Once per poll, every partition's offset in one round trip (a synchronous
                        # commit per message capped replays at ~100 events/s; one per partition was a
                        # tenth of a replay's consumer thread). A crash before it re-delivers events
                        # whose ids are already recorded, which `process` skips.
                        consumer.commit_async({tp: OffsetAndMetadata(messages[-1].offset + 1, None, -1)
                                         for tp, messages in batches.items()})
                    record_consumer_lag(self.name, partition_lags(consumer))
            except (KafkaError, OSError) as exc:
                log.warning("consumer %s lost the broker, reconnecting: %s", self.name, exc)
                self._stop.wait(2.0)
            except Exception:
                log.exception("consumer %s failed; restarting from the last committed offset", self.name)
                self._stop.wait(2.0)
            finally:
                if consumer is not None:
                    consumer.close(autocommit=False)
        record_consumer_lag(self.name, {})

    def process_batch(self, messages: list) -> None:
        """Apply a partition's messages in order. Runs of events go in one transaction each (a commit
        per event held replays on PostgreSQL to ~40 events/s); a run holding an invalid event or a
        failing handler is rolled back whole and redone one event at a time, retries and DLQ included."""
        for start in range(0, len(messages), self.transaction_size):
            run = messages[start:start + self.transaction_size]
            if not self._apply_together(run):
                for message in run:
                    self.process(message.value, kafka_headers_to_dict(message.headers), message)

    def _apply_together(self, messages: list) -> bool:
        try:
            envelopes = [(self.schemas.parse(m.value), kafka_headers_to_dict(m.headers)) for m in messages]
        except InvalidEvent:
            return False
        try:
            with self.db.transaction() as session:
                done = self._done(session, {envelope.id for envelope, _ in envelopes})
                applied = self._handle(session, self._fresh(envelopes, done))
                self._record(session, [envelope.id for envelope, _ in applied])
        except Exception as exc:
            log.info("consumer %s redoes %d events one by one: %s", self.name, len(messages), exc)
            return False
        self._applied(applied)
        return True

    def _done(self, session: Session, event_ids: set[str]) -> set[str]:
        """Those of these ids this consumer has applied."""
        return set(session.connection().execute(select(PROCESSED.c.event_id).where(
            PROCESSED.c.consumer == self.name, among(session, PROCESSED.c.event_id, event_ids))).scalars())

    def _fresh(self, envelopes: list[tuple[Envelope, dict[str, str]]], done: set[str]):
        """The run's events this consumer handles and has not applied yet; an event twice in the run
        (a relay republishing after a crash) once."""
        fresh = []
        for envelope, headers in envelopes:
            if envelope.type in self.handlers and envelope.id not in done:
                done.add(envelope.id)
                fresh.append((envelope, headers))
        return fresh

    def _handle(self, session: Session, fresh: list[tuple[Envelope, dict[str, str]]]) -> list[tuple[Envelope, str | None]]:
        """Each event in a span continuing its producer's trace; a batch in one span linked to each."""
        if self.batch_handler is None:
            applied = []
            for envelope, headers in fresh:
                with span_from_headers(f"consume {self.name}", headers, SpanKind.CONSUMER) as span:
                    span.set_attribute("messaging.message.id", envelope.id)
                    self.handlers[envelope.type](session, envelope)
                    applied.append((envelope, current_trace_id()))
            return applied
        if not fresh:
            return []
        with batch_span(f"consume {self.name}", [headers for _, headers in fresh]) as span:
            span.set_attribute("messaging.batch.message_count", len(fresh))
            self.batch_handler(session, [envelope for envelope, _ in fresh])
            trace_id = current_trace_id()
        return [(envelope, trace_id) for envelope, _ in fresh]

    def process(self, raw: bytes, headers: dict[str, str], message=None) -> None:
        """Apply one message exactly once, or park it on the DLQ; public for tests and replays."""
        with span_from_headers(f"consume {self.name}", headers, SpanKind.CONSUMER) as span:
            try:
                envelope = self.schemas.parse(raw)
            except InvalidEvent as exc:
                self._dead_letter(raw, headers, message, UNPARSEABLE, f"invalid event: {exc}")
                return
            span.set_attribute("messaging.message.id", envelope.id)
            handler = self.handlers.get(envelope.type)
            if handler is None:
                return  # another consumer's business: topics carry several event types
            for attempt in range(1, self.max_attempts + 1):
                try:
                    if self._apply(handler, envelope):
                        self._applied([(envelope, current_trace_id())])
                    return
                except Exception as exc:  # bounded retries, then the DLQ keeps the message
                    log.warning("handler failed (attempt %d/%d) for %s: %s", attempt, self.max_attempts,
                                envelope.id, exc, extra={"event_id": envelope.id, "event_type": envelope.type})
                    if attempt == self.max_attempts:
                        self._dead_letter(raw, headers, message, envelope.type,
                                          f"handler failed: {type(exc).__name__}: {exc}")
                        return
                    time.sleep(0.2 * 2 ** attempt)

    def _applied(self, applied: list[tuple[Envelope, str | None]]) -> None:
        """Once their transaction has committed: counted by type (an OpenTelemetry `add` per event
        was a tenth of a replay), each logged with the trace it carried."""
        for event_type, events in Counter(envelope.type for envelope, _ in applied).items():
            count_applied(self.name, event_type, events)
        for envelope, trace_id in applied:
            log.debug("consumer %s applied %s", self.name, envelope.type,
                      extra={"event_id": envelope.id, "event_type": envelope.type, "trace_id": trace_id})

    def _record(self, session: Session, event_ids: list[str]) -> None:
        """The ids applied, in one statement with the handlers' effects. Not added to the session
        one by one: the ORM would then flush one row before each query the next handler makes."""
        now = utcnow()
        insert_rows(session, insert(PROCESSED),
                    [{"consumer": self.name, "event_id": event_id, "processed_at": now} for event_id in event_ids])

    def _apply(self, handler: Handler, envelope: Envelope) -> bool:
        try:
            with self.db.transaction() as session:
                done = session.scalar(
                    select(ProcessedEvent.event_id).where(
                        ProcessedEvent.consumer == self.name, ProcessedEvent.event_id == envelope.id
                    )
                )
                if done:
                    return False
                if self.batch_handler is not None:
                    self.batch_handler(session, [envelope])
                else:
                    handler(session, envelope)
                self._record(session, [envelope.id])
            return True
        except IntegrityError:
            # A concurrent delivery of the same id won the race: its effects stand, ours rolled back.
            with self.db.sessions() as session:
                if session.get(ProcessedEvent, (self.name, envelope.id)):
                    return False
            raise

    def _dead_letter(self, raw: bytes, headers: dict[str, str], message, event_type: str, reason: str) -> None:
        topic = message.topic if message is not None else self.topics[0]
        log.error("event sent to %s%s: %s", topic, DLQ_SUFFIX, reason)
        dlq_headers = [(k, v.encode()) for k, v in headers.items()] + [
            ("dlq_reason", reason[:1000].encode()),
            ("dlq_consumer", self.name.encode()),
            ("dlq_original_topic", topic.encode()),
        ]
        if message is not None:
            dlq_headers.append(("dlq_original_offset", f"{message.partition}:{message.offset}".encode()))
        if self._dlq_producer is None:
            self._dlq_producer = self.dlq_producer_factory()
        key = message.key if message is not None else None
        # Synchronous: the offset is only committed once the DLQ holds the message.
        self._dlq_producer.send(topic + DLQ_SUFFIX, key=key, value=raw, headers=dlq_headers).get(timeout=30)
        count_dead_lettered(self.name, event_type)


def partition_lags(consumer) -> dict[tuple[str, int], int]:
    """Each assigned partition's end, as the consumer's last fetch reported it, minus the consumer's
    position: both held by the client, so no broker round trip. Unknown until a first fetch."""
    lags = {}
    for tp in consumer.assignment():
        end = consumer.highwater(tp)
        position = consumer.position(tp, timeout_ms=0) if end is not None else None
        if position is not None:
            lags[(tp.topic, tp.partition)] = max(end - position, 0)
    return lags
