"""Bench of the indicators service (issue 13), on SQLite, and PostgreSQL when TEST_DATABASE_URL is set:

- replay: BENCH_INDICATOR_EVENTS mixed events (registrations, and for the people registered contracts
  signed, DSN hirings and sanctions decided) are on the topics before the
  service starts on an empty database; events applied per second until its consumer has caught up
  (timed from the app's start, consumer join included, so a lower bound of the rate; the topics'
  older events, other runs' included, are applied too and counted); then the rate from the first event
  applied, beside the consumer thread's CPU time over it (Linux): near the elapsed time, the consumer's own
  work holds the replay; far below, it waited for a core;
- lag: registrations sent at BENCH_STEADY_RATE a second (500) for BENCH_STEADY_SECONDS (20); for
  each, the time between its send and the commit of the cells it changed (the consumer records the
  event's id in the same transaction): p50, p99;
- export: the open data of every indicator for every territory level of one month, through the API.

The issue asks for 1,000,000 events (BENCH_INDICATOR_EVENTS=1000000); the default is 50,000, to keep
`make bench` within the hour on a shared machine. The baseline of the same run is a bare consumer
reading the same topics from offset 0 and doing nothing with them: the Kafka client's ceiling here.
The replay's profile and its history are in docs/performance.md ("Indicators: the replay").

Prints figures; asserts nothing about time. Run alone: `python tests/bench/bench_indicators.py`.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.errors import KafkaError

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.core.inbound import PARTNERS_INBOUND  # noqa: E402
from services.core.settings import ServiceSettings  # noqa: E402
from services.indicators.consumers import FACTS  # noqa: E402
from services.dossier.published import DOSSIERS  # noqa: E402
from services.indicators.app import create_app  # noqa: E402
from services.indicators.domain.definitions import shipped_catalogue  # noqa: E402
from services.indicators.service.facts import CONSUMER_NAME  # noqa: E402
from services.indicators.tests.builders import (contract_signed, hiring_declared, registered,  # noqa: E402
                                                sanction_decided)
from services.registration.published import PERSONS  # noqa: E402
from services.sanctions.published import DECISIONS  # noqa: E402
from tests.bench.figures import backends, bench_broker, percentile  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402

EVENTS = int(os.environ.get("BENCH_INDICATOR_EVENTS", "50000"))
STEADY_RATE = int(os.environ.get("BENCH_STEADY_RATE", "500"))
STEADY_SECONDS = int(os.environ.get("BENCH_STEADY_SECONDS", "20"))
COMMUNES = ("44109", "44184", "49007", "53130", "72181", "85191", "75056", "69123", "13055", "31555")
MONTH = datetime(2025, 6, 10, 9, 0, tzinfo=timezone.utc)
LEVELS = ("national", "region", "departement", "bassin")
TOPICS = sorted({event_type.topic.address for event_type in FACTS})


def mixed_events(count: int):
    """Per person: a registration, then a contract, a hiring or a sanction in turn (4 events per 2 people)."""
    for index in range(count):
        at = MONTH + timedelta(days=index % 300)
        if index % 2 == 0:
            person = str(uuid.uuid4())
            yield PERSONS, registered(at, COMMUNES[index % len(COMMUNES)], person=person, sex="FM"[index % 4 // 2])
        elif index % 6 == 1:
            yield DOSSIERS, contract_signed(person, at)
        elif index % 6 == 3:
            yield PARTNERS_INBOUND, hiring_declared(person, at)
        else:
            yield DECISIONS, sanction_decided(at, territory=COMMUNES[index % len(COMMUNES)][:2])


def send(producer: KafkaProducer, topic, envelope) -> None:
    producer.send(topic.address, key=envelope.subject.encode(), value=envelope.to_json())


def scalar(url: str, sql: str):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def caught_up(broker, group: str) -> None:
    """Until the group has committed every subscribed topic's end (TestBroker.lag counts only the
    topics a group has committed on so far, which a replay reaches one after the other). The ends are
    read once, nothing being sent during the replay: a client per topic every poll took CPU from the
    consumer measured, on two cores."""
    ends = {tp: end for topic in TOPICS for tp, end in broker.end_offsets(topic).items() if end}
    admin = KafkaAdminClient(**broker.config)
    try:
        while True:
            try:
                committed = admin.list_group_offsets(group).get(group) or {}
            except KafkaError as exc:  # a fresh broker creates its offsets topic, and elects its coordinator, on first use
                if not exc.retriable:
                    raise
                time.sleep(0.5)
                continue
            if all(tp in committed and committed[tp].offset >= end for tp, end in ends.items()):
                return
            time.sleep(0.2)
    finally:
        admin.close()


def raw_read_rate(broker) -> float:
    """The baseline, in the same run: a bare consumer reading every subscribed topic from offset 0 and
    doing nothing with the messages, the ceiling of the Kafka client on this machine."""
    ends = {tp: end for topic in TOPICS for tp, end in broker.end_offsets(topic).items() if end}
    consumer = KafkaConsumer(**broker.config, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                             max_poll_records=500)
    consumer.assign(list(ends))
    consumer.seek_to_beginning()
    read, started = 0, time.monotonic()
    try:
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            read += sum(len(messages) for messages in consumer.poll(timeout_ms=500).values())
    finally:
        consumer.close()
    rate = read / (time.monotonic() - started)
    print(f"  baseline, a bare consumer reading the same topics from offset 0: {read} messages, {rate:.0f}/s")
    return rate


def run(url: str, broker, producer: KafkaProducer, baseline: float) -> None:
    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    settings = ServiceSettings.from_env("indicators").with_(database_url=url, kafka=broker.access("indicators"),
                                                            consumer_group_prefix=prefix)
    broker.allow_groups("indicators", prefix)
    started = time.monotonic()
    with TestClient(create_app(settings)) as client:
        caught_up(broker, prefix + CONSUMER_NAME)
        elapsed, done_at = time.monotonic() - started, time.time()
        applied = scalar(url, "SELECT count(*) FROM processed_events")
        rate = applied / elapsed
        print(f"  replay from offset 0: {applied} events applied in {elapsed:.1f} s: {rate:.0f} events/s "
              f"(x{rate / baseline:.2f} the bare consumer's rate; goal 10,000/s)")
        since_first = done_at - _epoch(scalar(url, "SELECT min(processed_at) FROM processed_events"))
        print(f"    from the first event applied (app start and group join left out): {applied / since_first:.0f} "
              f"events/s; the consumer thread's CPU: {consumer_cpu():.1f} s of those {since_first:.1f} s")
        steady_lag(url, producer)
        exports(client)


def consumer_cpu() -> float:
    """CPU seconds the consumer threads of this process have had (Linux), to tell a replay held by its
    own work from one waiting for a core on a shared machine."""
    seconds = 0.0
    for thread in threading.enumerate():
        if thread.name.startswith("consumer-"):
            try:
                fields = Path(f"/proc/self/task/{thread.native_id}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def steady_lag(url: str, producer: KafkaProducer) -> None:
    sent: dict[str, float] = {}
    started = time.time()
    for index in range(STEADY_RATE * STEADY_SECONDS):
        time.sleep(max(0.0, started + index / STEADY_RATE - time.time()))
        envelope = registered(datetime.now(timezone.utc), COMMUNES[index % len(COMMUNES)])
        send(producer, PERSONS, envelope)
        sent[envelope.id] = time.time()
    producer.flush()
    ids = list(sent)
    while len(rows := _processed(url, ids)) < len(ids):
        time.sleep(0.5)
    lags = [(processed - sent[event_id]) * 1000 for event_id, processed in rows]
    print(f"  lag at {STEADY_RATE} events/s for {STEADY_SECONDS} s: p50 {percentile(lags, 50):.0f} ms, "
          f"p99 {percentile(lags, 99):.0f} ms")


def _processed(url: str, ids: list[str]) -> list[tuple[str, float]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(sa.column("event_id"), sa.column("processed_at"))
                                .select_from(sa.table("processed_events"))
                                .where(sa.column("event_id").in_(ids))).all()
    finally:
        engine.dispose()
    return [(event_id, _epoch(at)) for event_id, at in rows]


def _epoch(at) -> float:
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def exports(client: TestClient) -> None:
    month = MONTH.strftime("%Y-%m")
    started = time.monotonic()
    codes = [item.code for item in shipped_catalogue().available()]
    for code in codes:
        for level in LEVELS:
            assert client.get(f"/open-data/indicators/{code}/{level}/{month}").status_code == 200
    elapsed = time.monotonic() - started
    print(f"  open-data export of {len(codes)} indicators x {len(LEVELS)} levels for {month}: {elapsed:.2f} s")


def main() -> None:
    broker = bench_broker()
    producer = KafkaProducer(**broker.config, acks="all", linger_ms=20, batch_size=256 * 1024)
    produced = time.monotonic()
    for topic, envelope in mixed_events(EVENTS):
        send(producer, topic, envelope)
    producer.flush()
    print(f"indicators: {EVENTS} mixed events on the topics in {time.monotonic() - produced:.0f} s (not timed below)")
    baseline = raw_read_rate(broker)
    for backend in backends():
        with tempfile.TemporaryDirectory() as tmp, fresh_database(backend, Path(tmp), "indicators") as url:
            print(f"indicators on {backend}:")
            run(url, broker, producer, baseline)
    producer.close()


if __name__ == "__main__":
    main()
