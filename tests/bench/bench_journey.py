"""`make bench`, the journey: orientation decisions per second from the registered-event stream, and
the delay from `POST /v1/registrations` until the shared dossier shows the person's orientation.

Prints figures; asserts nothing about time. Real processes (gateway, registration, orientation,
dossier) on the bench broker, on SQLite and on PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, TypeVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gateway.routing import ROUTES  # noqa: E402
from services.registration.tests.builders import person  # noqa: E402
from tests.bench.bench_registration import random_person, register_all  # noqa: E402
from tests.bench.figures import backends, bench_broker, percentile  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402
from tests.support.kafka import TestBroker, envelope_of  # noqa: E402
from tests.support.stack import Stack  # noqa: E402

BACKLOG = int(os.environ.get("BENCH_BACKLOG", "3000"))
DELAY_SAMPLES = int(os.environ.get("BENCH_DELAY_SAMPLES", "200"))
REGISTERED_TOPIC = "registration.persons.v1"
DECISIONS_TOPIC = "orientation.decisions.v1"
REGISTERED_EVENT = "registration.person.registered."
AGENCY = "ft-agence-nantes"
DOSSIER_CONSUMER = "dossier.read-model"  # services/dossier/consumers.py
POLL_EVERY = 0.005  # s: the delay is measured to within this step
Running = TypeVar("Running")  # whatever runs the platform: a Stack, or tests/bench/trees.py's Platform


def fill_backlog(broker: TestBroker, workdir: Path, start_stack: Callable[[], Running] | None = None) -> None:
    """People registered through the API until the stream holds BACKLOG of them; `start_stack` runs the
    platform that registers them (this tree's Stack by default)."""
    missing = BACKLOG - len(registered_people(broker))
    if missing <= 0:
        return
    print(f"  registering {missing} more people so the stream holds {BACKLOG} ...", flush=True)
    workdir.mkdir(parents=True, exist_ok=True)
    stack = start_stack() if start_stack else Stack.start(broker, workdir)
    try:
        asyncio.run(register_all(stack, [random_person() for _ in range(missing)]))
    finally:
        stack.stop()


def registered_people(broker: TestBroker) -> set[bytes]:
    ends = broker.end_offsets(REGISTERED_TOPIC)
    messages = broker.read(REGISTERED_TOPIC, {tp: 0 for tp in ends}, lambda ms: len(ms) >= sum(ends.values()))
    # Every version of the event: the starting commit's stream holds v1, the working tree's the current one.
    return {m.key for m in messages if envelope_of(m)["type"].startswith(REGISTERED_EVENT)}


def decisions_per_second(broker: TestBroker, start_stack: Callable[[], Running]) -> tuple[Running, float]:
    """A fresh orientation consumer group reads the whole stream; the rate is taken between the first
    and the last decision it published, so process start-up is not counted."""
    people = registered_people(broker)
    since = broker.end_offsets(DECISIONS_TOPIC)
    stack = start_stack()
    messages = broker.read(DECISIONS_TOPIC, since, lambda ms: len(ms) >= len(people), timeout=900)
    stamps = sorted(m.timestamp for m in messages)
    span = (stamps[-1] - stamps[0]) / 1000
    rate = (len(messages) - 1) / span
    print(f"  {len(messages)} decisions for {len(people)} people registered on the stream")
    print(f"  orientation: {rate:8.1f} decisions/s (first to last published: {span:.1f} s)")
    return stack, rate


def wait_until_caught_up(broker: TestBroker, group: str) -> None:
    deadline = time.monotonic() + 900
    while broker.lag(group) != 0:
        assert time.monotonic() < deadline, f"{group} never caught up with the stream"
        time.sleep(0.5)


def registration_to_dossier_delay(api: httpx.Client) -> list[float]:
    """Milliseconds from each POST to the first read of the dossier showing the person's orientation."""
    samples = []
    for _ in range(DELAY_SAMPLES):
        started = time.perf_counter()
        answer = api.post("/v1/registrations", json=person(rsa=False))
        answer.raise_for_status()
        path = f"/v1/dossiers/{answer.json()['id']}/orientation"
        while not oriented(api.get(path, params={"purpose": "orientation"})):
            assert time.perf_counter() - started < 60, f"{path} never showed an orientation"
            time.sleep(POLL_EVERY)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"  POST /v1/registrations -> dossier shows the orientation, {DELAY_SAMPLES} people one after another")
    print(f"  delay: p50 {percentile(samples, 50):7.1f} ms   p99 {percentile(samples, 99):7.1f} ms"
          f"   max {max(samples):7.1f} ms")
    return samples


def oriented(answer: httpx.Response) -> bool:
    return answer.status_code == 200 and answer.json().get("current") is not None


def main() -> None:
    broker = bench_broker()
    for backend in backends():
        with tempfile.TemporaryDirectory() as tmp, ExitStack() as databases:
            workdir = Path(tmp)
            fill_backlog(broker, workdir / "backlog")
            urls = {service: databases.enter_context(fresh_database(backend, workdir, service))
                    for service in dict.fromkeys(route.service for route in ROUTES)}
            print(f"\n[{backend}] orientation from the registered-event stream")
            stack, _ = decisions_per_second(broker, lambda: Stack.start(broker, workdir, database_urls=urls))
            try:
                wait_until_caught_up(broker, stack.services["dossier"].env["CONSUMER_GROUP_PREFIX"] + DOSSIER_CONSUMER)
                print(f"[{backend}] registration to dossier")
                with stack.client(AGENCY) as api:
                    registration_to_dossier_delay(api)
            finally:
                stack.stop()


if __name__ == "__main__":
    main()
