"""`make bench`: registration throughput end to end and the gateway's added latency.

Prints figures; asserts nothing about time. Runs the real processes (gateway + registration) on
the test broker, on SQLite and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.registration.tests.builders import person  # noqa: E402
from tests.bench.figures import backends, bench_broker, percentile  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402
from tests.support.kafka import TestBroker  # noqa: E402
from tests.support.stack import Stack  # noqa: E402
from services.registration.published import PERSONS  # noqa: E402

REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "2000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
LATENCY_SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "1000"))
TOPIC = PERSONS.address


async def register_all(stack: Stack, bodies: list[dict]) -> list[str]:
    semaphore = asyncio.Semaphore(CONCURRENCY)
    headers = {"Authorization": f"Bearer {stack.token('ft-agence-nantes')}"}
    async with httpx.AsyncClient(base_url=stack.url, headers=headers, timeout=60) as client:
        async def one(body):
            async with semaphore:
                answer = await client.post("/v1/registrations", json=body)
                answer.raise_for_status()
                return answer.json()["id"]

        return await asyncio.gather(*(one(body) for body in bodies))


def random_person() -> dict:
    # Spread birth dates so thousands of generated NIRs stay distinct (a repeat would be a 409).
    return person(birth=date(1960, 1, 1) + timedelta(days=random.randint(0, 16000)))


def throughput(stack: Stack, broker: TestBroker) -> None:
    bodies = [random_person() for _ in range(REGISTRATIONS)]
    since = broker.end_offsets(TOPIC)
    started = time.perf_counter()
    ids = asyncio.run(register_all(stack, bodies))
    accepted = time.perf_counter() - started
    wanted = set(ids)
    broker.read(TOPIC, since, lambda ms: wanted <= {m.key.decode() for m in ms}, timeout=300)
    delivered = time.perf_counter() - started
    print(f"  {REGISTRATIONS} registrations, {CONCURRENCY} concurrent clients through the gateway")
    print(f"  accepted (HTTP 201):        {REGISTRATIONS / accepted:8.1f} registrations/s ({accepted:.1f} s)")
    print(f"  end to end (event on Kafka): {REGISTRATIONS / delivered:8.1f} registrations/s ({delivered:.1f} s)")


def latency(stack: Stack) -> None:
    token = stack.token("ft-agence-nantes")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers) as client:
        registration_id = client.post(f"{stack.url}/v1/registrations", json=person()).json()["id"]
        path = f"/v1/registrations/{registration_id}"
        figures = {}
        for label, base in (("direct", stack.registration.url), ("gateway", stack.url)):
            for _ in range(50):  # warm-up: connections, caches
                client.get(base + path)
            samples = []
            for _ in range(LATENCY_SAMPLES):
                started = time.perf_counter()
                client.get(base + path).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
            figures[label] = (percentile(samples, 50), percentile(samples, 99))
    (d50, d99), (g50, g99) = figures["direct"], figures["gateway"]
    print(f"  GET one registration, {LATENCY_SAMPLES} sequential calls")
    print(f"  direct to the service: p50 {d50:6.2f} ms   p99 {d99:6.2f} ms")
    print(f"  through the gateway:   p50 {g50:6.2f} ms   p99 {g99:6.2f} ms")
    print(f"  gateway / direct:      p50 x{g50 / d50:4.2f}     p99 x{g99 / d99:4.2f}"
          f"   (added: p50 {g50 - d50:+.2f} ms, p99 {g99 - d99:+.2f} ms)")


def main() -> None:
    broker = bench_broker()
    for backend in backends():
        with tempfile.TemporaryDirectory() as tmp, fresh_database(backend, Path(tmp), "registration") as url:
            stack = Stack.start(broker, Path(tmp), database_url=url)
            try:
                print(f"\n[{backend}] throughput")
                throughput(stack, broker)
                print(f"[{backend}] gateway overhead")
                latency(stack)
            finally:
                stack.stop()


if __name__ == "__main__":
    main()
