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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gateway.routing import ROUTES  # noqa: E402
from services.core.db import UTCDateTime  # noqa: E402
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
POLL_EVERY = 0.005  # s: the delay shown is measured to within this step
QUIET_POLL_EVERY = 0.05  # s: polls that weigh little on the dossier, for the delay read from its clock
ORIENTATION_STORED_AT = (sa.select(sa.column("updated_at", UTCDateTime)).select_from(sa.table("dossier_sections"))
                         .where(sa.column("person_id") == sa.bindparam("person_id"),
                                sa.column("section") == "orientation"))  # services/dossier/adapters/orm.py
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


def registration_to_dossier_delay(api: httpx.Client, dossier_database: str) -> DossierDelays:
    """Milliseconds from each POST until the dossier has the person's orientation, measured twice.

    `shown`: to the first read through the API that shows it, polled every POLL_EVERY: what a client
    polling hard sees. Each poll is an organisation's read, which the dossier logs in a write transaction
    of its own: 5 ms polls weighed ~20 ms on the p50 and ~40 ms on the p99 they measured (docs/performance.md,
    "Eighth pass"). `committed`: to the dossier's own clock when it stored the orientation (its transaction
    commits within the millisecond after), read in its database once the API, polled every QUIET_POLL_EVERY,
    shows it: the platform's delay without the probe's load."""
    shown = [_delay(api, POLL_EVERY)[0] for _ in range(DELAY_SAMPLES)]
    engine = sa.create_engine(dossier_database)
    try:
        committed = []
        for _ in range(DELAY_SAMPLES):
            started, person_id = _delay(api, QUIET_POLL_EVERY)[1:]
            with engine.connect() as connection:
                stored = connection.execute(ORIENTATION_STORED_AT, {"person_id": person_id}).scalar_one()
            committed.append((stored.timestamp() - started) * 1000)
    finally:
        engine.dispose()
    print(f"  POST /v1/registrations -> dossier has the orientation, {DELAY_SAMPLES} people one after another")
    for label, samples in (("shown, API polled every 5 ms", shown), ("committed, by the dossier's clock", committed)):
        print(f"  {label:<34} p50 {percentile(samples, 50):7.1f} ms   p99 {percentile(samples, 99):7.1f} ms"
              f"   max {max(samples):7.1f} ms")
    return DossierDelays(shown, committed)


@dataclass(frozen=True)
class DossierDelays:
    shown: list[float]
    committed: list[float]


def _delay(api: httpx.Client, poll_every: float) -> tuple[float, float, str]:
    """One person registered, then their dossier polled until it shows the orientation: the milliseconds
    it took, the wall-clock time of the POST and the person's id."""
    started_at, started = time.time(), time.perf_counter()
    answer = api.post("/v1/registrations", json=person(rsa=False))
    answer.raise_for_status()
    person_id = answer.json()["id"]
    path = f"/v1/dossiers/{person_id}/orientation"
    while not oriented(api.get(path, params={"purpose": "orientation"})):
        assert time.perf_counter() - started < 60, f"{path} never showed an orientation"
        time.sleep(poll_every)
    return (time.perf_counter() - started) * 1000, started_at, person_id


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
                    registration_to_dossier_delay(api, urls["dossier"])
            finally:
                stack.stop()


if __name__ == "__main__":
    main()
