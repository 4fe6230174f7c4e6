"""Transactional outbox: events commit with the state change, a relay publishes them afterwards.

Writing to Kafka inside a request would lose the event if the process died between the database
commit and the send, or the write if the broker were down. Instead `add_event` stores the event
in the service's own database, in the caller's transaction, and `OutboxRelay` publishes rows in
id order (per-key order follows, since writes to one aggregate are serialised by its row), marks
them published, and retries with back-off while the broker is away. A crash after the broker's
ack but before the mark republishes the same event id; consumers are idempotent on that id.

Sending and marking run in two threads. The mark is a write: on SQLite it queues for the write lock
behind the requests' transactions (whose busy handler polls, up to 100 ms a try), and a sender that
waited for it held back every event committed meanwhile (p99 1.6 s from a 201 to Kafka under load).
The sender leaves the rows it delivered to the marker and skips them until they are marked.
"""
from __future__ import annotations

import logging
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kafka.errors import KafkaError
from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String, Text, event, func, insert, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.core.db import Base, Database, UTCDateTime, among, utcnow
from services.core.events import Envelope, EventType, SchemaRegistry
from services.core.health_data import check_no_health_data
from services.core.broker import make_producer
from services.core.settings import KafkaAccess
from services.core.telemetry import current_traceparent

log = logging.getLogger("core.outbox")


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unpublished", "published_at", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(200))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    traceparent: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


OUTBOX = OutboxMessage.__table__


@dataclass(frozen=True)
class PendingEvent:
    """An event to emit: its type (which names its topic), subject (the Kafka key) and data."""

    event_type: EventType
    subject: str
    data: dict


class Outbox:
    """What a unit of work uses to emit events: validated now, published after commit."""

    def __init__(self, schemas: SchemaRegistry, source: str, on_commit: Callable[[], None] = lambda: None) -> None:
        self.schemas = schemas
        self.source = source
        self.on_commit = on_commit

    def add_event(self, session: Session, event_type: EventType, subject: str, data: dict) -> Envelope:
        return self.add_events(session, [PendingEvent(event_type, subject, data)])[0]

    def add_events(self, session: Session, events: Sequence[PendingEvent]) -> list[Envelope]:
        """Events written in one statement, in the order given (a batch import emits hundreds).
        Inserted at once rather than through the ORM's unit of work, which on SQLite inserts rows
        one statement at a time to read their ids back; a savepoint rolled back takes them too."""
        traceparent, now = current_traceparent(), utcnow()
        envelopes, rows = [], []
        for pending in events:
            envelope = Envelope(type=pending.event_type.name, source=self.source, subject=pending.subject,
                                data=pending.data, traceparent=traceparent)
            self.schemas.validate(envelope.to_dict())  # a producer never emits an event its schema rejects
            check_event_health_data(pending)
            envelopes.append(envelope)
            rows.append({"event_id": envelope.id, "topic": pending.event_type.topic.address, "key": pending.subject,
                         "event_type": pending.event_type.name, "payload": envelope.to_json(),
                         "traceparent": traceparent, "created_at": now})
        if rows:
            session.execute(insert(OUTBOX), rows)
        if not session.info.get("outbox_listening"):
            session.info["outbox_listening"] = True
            event.listen(session, "after_commit", lambda _: self.on_commit(), once=True)
        return envelopes


def check_event_health_data(pending: PendingEvent) -> None:
    """Health data travels only on a topic restricted to the services entitled to it."""
    if not pending.event_type.topic.health_data:
        check_no_health_data(pending.event_type.topic.address, pending.data)


@dataclass(frozen=True)
class Backlog:
    """Events committed but not yet published, and how long the oldest has waited."""

    rows: int
    oldest_age_seconds: float


def outbox_backlog(db: Database) -> Backlog:
    """What the backlog gauges report at each scrape: a relay stuck on a broker outage shows here."""
    with db.reading() as session:
        rows, oldest = session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(OutboxMessage.published_at.is_(None))
        ).one()
    return Backlog(rows, (utcnow() - oldest).total_seconds() if oldest else 0.0)


# What the relay sends of a row, read as the table's rows through the connection: ORM objects, or even the
# ORM's compilation of a select of columns, would be Python work for which the sender waits on the GIL
# behind the requests' threads (docs/performance.md, "Eighth pass").
SENT_COLUMNS = tuple(OUTBOX.c[name] for name in ("id", "event_id", "topic", "key", "event_type", "payload",
                                                   "traceparent"))
# Rows delivered and awaiting their mark, at most: a bound on memory and on the ids the read leaves out.
UNMARKED_AT_MOST = 5000


def kafka_headers(row) -> list[tuple[str, bytes]]:
    headers = [
        ("content-type", b"application/cloudevents+json; charset=utf-8"),
        ("ce_id", row.event_id.encode()),
        ("ce_type", row.event_type.encode()),
    ]
    if row.traceparent:
        headers.append(("traceparent", row.traceparent.encode()))
    return headers


class OutboxRelay:
    """Background threads publishing outbox rows to Kafka, in order, and marking them, until stopped."""

    def __init__(self, db: Database, kafka: KafkaAccess, *, batch_size: int = 500,
                 idle_seconds: float = 0.2, max_backoff: float = 10.0,
                 producer_factory: Callable[[], Any] | None = None) -> None:
        self.db = db
        self.producer_factory = producer_factory or (lambda: make_producer(kafka))
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.max_backoff = max_backoff
        self._producer = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._delivered_wake = threading.Event()
        self._delivered: set[int] = set()  # acknowledged by the broker, not yet marked published
        self._delivered_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads = [threading.Thread(target=self._send_loop, name="outbox-relay", daemon=True),
                         threading.Thread(target=self._mark_loop, name="outbox-marker", daemon=True)]
        for thread in self._threads:
            thread.start()

    def notify(self) -> None:
        """Called after a commit that added events, so they go out without waiting for the poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._delivered_wake.set()
        for thread in self._threads:
            thread.join(timeout)
        if self._threads:
            self._mark_before_stopping()
        if self._producer is not None:
            self._producer.close(timeout=5)

    def _send_loop(self) -> None:
        with _relay_lock(self.db, self._stop):
            self._repeat(self.publish_pending, self._wake)

    def _mark_loop(self) -> None:
        self._repeat(self.mark_published, self._delivered_wake)

    def _mark_before_stopping(self) -> None:
        """What the sender delivered last; were it left unmarked, the next start would publish it again."""
        try:
            self.mark_published()
        except Exception:
            log.exception("outbox relay could not mark its last deliveries; they will be published again")

    def _repeat(self, step: Callable[[], int], wake: threading.Event) -> None:
        """`step` until stopped: again at once while it has work, on `wake` or after idle_seconds when
        it has none, with back-off while it fails."""
        backoff = 0.5
        while not self._stop.is_set():
            wake.clear()  # before the step: a wake-up given while it runs is kept for the next one
            try:
                done = step()
                backoff = 0.5
            except (KafkaError, OSError) as exc:
                log.warning("outbox relay cannot publish, retrying in %.1fs: %s", backoff, exc)
            except Exception:  # a bug or a database outage: keep the relay alive, loudly
                log.exception("outbox relay failed; retrying")
            else:
                if not done:
                    wake.wait(self.idle_seconds)
                continue
            self._stop.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff)

    def publish_pending(self) -> int:
        """Send one batch of the rows neither published nor delivered; returns how many the broker
        acknowledged, now left to `mark_published`."""
        with self._delivered_lock:
            # Taken before the read: a row the marker drops from it after this is marked in the database
            # before the read sees the table, so no row escapes both.
            delivered = frozenset(self._delivered)
        if len(delivered) >= UNMARKED_AT_MOST:
            return 0  # the marker is behind (a long write lock): wait for it rather than hold more ids
        with self.db.reading() as session:
            unsent = OUTBOX.c.published_at.is_(None)
            if delivered:
                unsent &= ~among(session, OUTBOX.c.id, delivered)
            rows = session.connection().execute(select(*SENT_COLUMNS).where(unsent).order_by(OUTBOX.c.id)
                                                .limit(self.batch_size)).all()
        if not rows:
            return 0
        producer = self._get_producer()
        futures, failure = [], None
        for row in rows:
            try:
                futures.append(producer.send(row.topic, key=row.key.encode(), value=row.payload,
                                             headers=kafka_headers(row)))
            except KafkaError as exc:  # e.g. no metadata yet for a topic while the broker is away
                # The rows already queued still go out once the broker is back: they are flushed and
                # accounted for below. Raising before that would send them a second time on the retry.
                failure = exc
                break
        producer.flush()
        acknowledged = []
        for row, future in zip(rows, futures):
            if future.failed():
                failure = future.exception
                break  # later rows wait, so one key's events never overtake each other
            acknowledged.append(row.id)
        if acknowledged:
            with self._delivered_lock:
                self._delivered.update(acknowledged)
            self._delivered_wake.set()
        if failure is not None:
            raise failure if isinstance(failure, KafkaError) else KafkaError(str(failure))
        return len(acknowledged)

    def mark_published(self) -> int:
        """Mark every row delivered so far, in one transaction; returns how many."""
        with self._delivered_lock:
            delivered = list(self._delivered)
        if not delivered:
            return 0
        with self.db.transaction() as session:
            # The table's statement, not the ORM's bulk update: no session objects to keep in step, and
            # ids bound as one parameter: a third less CPU a mark, paid once for an event that comes alone.
            session.connection().execute(update(OUTBOX).where(among(session, OUTBOX.c.id, delivered))
                                         .values(published_at=utcnow()))
        with self._delivered_lock:
            self._delivered.difference_update(delivered)
        return len(delivered)

    def _get_producer(self):
        if self._producer is None:
            self._producer = self.producer_factory()
        return self._producer


class _relay_lock:
    """On PostgreSQL, one relay per service database publishes at a time (advisory lock), so
    replicas of a service never interleave the same rows; SQLite has a single process anyway."""

    def __init__(self, db: Database, stop: threading.Event) -> None:
        self.db = db
        self.stop = stop
        self.conn = None

    def __enter__(self):
        if self.db.engine.dialect.name != "postgresql":
            return self
        key = zlib.crc32(b"outbox-relay")
        while not self.stop.is_set():
            conn = self.db.engine.connect()
            if conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                conn.commit()
                self.conn = conn
                return self
            conn.close()
            self.stop.wait(2.0)
        return self

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            self.conn.close()  # closing the session releases the advisory lock
