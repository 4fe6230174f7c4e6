"""Bench of the webhooks service (issue 14): deliveries per second to BENCH_WEBHOOK_ENDPOINTS endpoints
(50 by default), each a real HTTP receiver on loopback subscribed to registrations, for
BENCH_WEBHOOK_EVENTS registrations (200 by default: 10,000 deliveries), the service consuming them
in-process from Kafka and its delivery job running as deployed (every second); and the delay from a
registration's publication to its delivery (p50, p99) under that load. On SQLite, and PostgreSQL when
TEST_DATABASE_URL is set.

Prints figures; asserts nothing about time. Run alone: `python tests/bench/bench_webhooks.py`.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from fastapi.testclient import TestClient
from kafka import KafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.core.settings import ServiceSettings  # noqa: E402
from services.registration.published import PERSONS  # noqa: E402
from services.webhooks.app import create_app  # noqa: E402
from services.webhooks.consumers import CONSUMER  # noqa: E402
from services.webhooks.tests.builders import registered  # noqa: E402
from services.webhooks.tests.receiver import Receiver  # noqa: E402
from tests.bench.figures import backends, bench_broker, percentile  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402
from tests.support.tokens import TestTokens  # noqa: E402

ENDPOINTS = int(os.environ.get("BENCH_WEBHOOK_ENDPOINTS", "50"))
EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "200"))
TIMEOUT_SECONDS = 600


def delivered(receivers: list[Receiver], people: set[str]) -> list[tuple[float, str]]:
    """(arrival, subject) of each first arrival of a webhook-id about this run's people."""
    seen: dict[str, tuple[float, str]] = {}
    for receiver in receivers:
        with receiver._lock:
            received = list(receiver.received)
        for r in received:
            subject = r.event.get("subject")
            if subject in people:
                seen.setdefault(r.headers["webhook-id"], (r.arrived, subject))
    return list(seen.values())


def run(url: str, broker, tmp: Path) -> None:
    os.environ["WEBHOOKS_ALLOWED_HOSTS"] = "127.0.0.1"
    settings = ServiceSettings.from_env("webhooks").with_(
        database_url=url, kafka=broker.access("webhooks"), consumer_group_prefix=f"bench-{uuid.uuid4().hex[:8]}.")
    broker.allow_groups("webhooks", settings.consumer_group_prefix)
    tokens = TestTokens(tmp / "key.pem")
    app = create_app(settings)
    app.state.token_verifier = tokens.issuer.verifier()
    producer = KafkaProducer(**broker.config, acks="all", linger_ms=5)
    with ExitStack() as stack, TestClient(app) as client:
        receivers = [stack.enter_context(Receiver()) for _ in range(ENDPOINTS)]
        # Subscribed once the consumer caught up with what the topics held (it replays from offset 0).
        while broker.lag(settings.consumer_group_prefix + CONSUMER) != 0:
            time.sleep(0.5)
        for receiver in receivers:
            answer = client.post("/v1/webhooks", headers=tokens.headers("departement-44"), json={
                "url": receiver.url, "event_types": ["registration.person.registered.v2"]})
            assert answer.status_code == 201, answer.text
        published: dict[str, float] = {}
        started = time.monotonic()
        for _ in range(EVENTS):
            envelope = registered(str(uuid.uuid4()))
            published[envelope.subject] = envelope.time.timestamp()
            producer.send(PERSONS.address, key=envelope.subject.encode(), value=envelope.to_json())
        producer.flush()
        expected, people = EVENTS * ENDPOINTS, set(published)
        while len(got := delivered(receivers, people)) < expected and time.monotonic() - started < TIMEOUT_SECONDS:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    producer.close()
    delays = [arrived - published[subject] for arrived, subject in got]
    print(f"  {len(got)} of {expected} deliveries to {ENDPOINTS} endpoints in {elapsed:.1f} s: "
          f"{len(got) / elapsed:.0f} deliveries/s (job every {os.environ.get('WEBHOOKS_DELIVERY_INTERVAL_SECONDS', '1')} s)")
    if delays:
        print(f"  publication to delivery: p50 {percentile(delays, 50):.2f} s, p99 {percentile(delays, 99):.2f} s, "
              f"max {max(delays):.2f} s")


def main() -> None:
    broker = bench_broker()
    for backend in backends():
        with tempfile.TemporaryDirectory() as tmp, fresh_database(backend, Path(tmp), "webhooks") as url:
            print(f"webhooks on {backend}:")
            run(url, broker, Path(tmp))


if __name__ == "__main__":
    main()
