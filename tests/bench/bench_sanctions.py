"""Bench of the sanctions service (issue 12): lapses recorded per second from orientation's no-show
stream (BENCH_NO_SHOWS events, 20,000 by default, the service consuming them in-process from Kafka),
and cases moved per second by the deadline job over BENCH_OPEN_CASES open cases (100,000 by
default) whose observation period has ended. On SQLite, and PostgreSQL when TEST_DATABASE_URL is set.

Prints figures; asserts nothing about time. Run alone: `python tests/bench/bench_sanctions.py`.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from kafka import KafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.core.db import Database, utcnow  # noqa: E402
from services.core.settings import ServiceSettings  # noqa: E402
from services.orientation.published import APPOINTMENTS  # noqa: E402
from services.sanctions.adapters.repository import CaseRepository  # noqa: E402
from services.sanctions.adapters.scales import shipped_scales  # noqa: E402
from services.sanctions.app import DEADLINE_JOB, create_app  # noqa: E402
from services.sanctions.domain.case import Case, Lapse, Source  # noqa: E402
from services.sanctions.tests.builders import no_show  # noqa: E402
from tests.bench.figures import backends, bench_broker  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402

NO_SHOWS = int(os.environ.get("BENCH_NO_SHOWS", "20000"))
OPEN_CASES = int(os.environ.get("BENCH_OPEN_CASES", "100000"))
CHUNK = 5000


def count(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def no_show_stream(url: str, broker) -> None:
    """NO_SHOWS no-shows of distinct people: each one a lapse (and, under the current scale, a case)."""
    settings = ServiceSettings.from_env("sanctions").with_(
        database_url=url, kafka=broker.access("sanctions"), consumer_group_prefix=f"bench-{uuid.uuid4().hex[:8]}.",
        jobs=frozenset())
    broker.allow_groups("sanctions", settings.consumer_group_prefix)
    # The consumer replays the topic from offset 0: count this run's no-shows only, by their recorder.
    recorder = f"bench-{uuid.uuid4().hex[:8]}"
    ours = f"SELECT count(*) FROM sanction_lapses WHERE recorded_by = '{recorder}'"
    producer = KafkaProducer(**broker.config, acks="all", linger_ms=20)
    with TestClient(create_app(settings)):
        # Timed from a consumer caught up with what the topic already held (it replays from offset 0).
        while broker.lag(f"{settings.consumer_group_prefix}sanctions.no-shows") != 0:
            time.sleep(0.5)
        started = time.monotonic()
        for _ in range(NO_SHOWS):
            envelope = no_show(str(uuid.uuid4()), at=utcnow() - timedelta(hours=1), org_id=recorder)
            producer.send(APPOINTMENTS.address, key=envelope.subject.encode(), value=envelope.to_json())
        producer.flush()
        sent = time.monotonic() - started
        while (recorded := count(url, ours)) < NO_SHOWS:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    producer.close()
    print(f"  no-show stream: {NO_SHOWS} sent in {sent:.1f} s, {recorded} lapses recorded in {elapsed:.1f} s: "
          f"{NO_SHOWS / elapsed:.0f} lapses/s")


def load_open_cases(url: str) -> None:
    """OPEN_CASES cases in observation whose period ended yesterday, written in bulk (not timed)."""
    scale, opened = shipped_scales()["current"], utcnow() - timedelta(days=31)
    evaluation = scale.evaluate("rsa", "obligation", 0, 1)
    db = Database(url)
    try:
        for start in range(0, OPEN_CASES, CHUNK):
            with db.transaction() as session:
                cases = CaseRepository(session)
                for _ in range(min(CHUNK, OPEN_CASES - start)):
                    person = str(uuid.uuid4())
                    lapse = Lapse(str(uuid.uuid4()), person, "carry_out_actions", Source.REFERENT_REPORT, "bench",
                                  opened, opened, "bench")
                    cases.add(Case.open(str(uuid.uuid4()), [lapse], "44", "rsa", "obligation", 0, 1, evaluation,
                                        opened))
    finally:
        db.dispose()


def deadline_job(url: str) -> None:
    load_open_cases(url)
    app = create_app(ServiceSettings.from_env("sanctions").with_(database_url=url))
    job = next(j for j in app.state.platform.jobs if j.name == DEADLINE_JOB)
    started = time.monotonic()
    job.run(utcnow())
    elapsed = time.monotonic() - started
    moved = count(url, "SELECT count(*) FROM sanction_cases WHERE status = 'awaiting_opinion'")
    print(f"  deadline job: {moved} of {OPEN_CASES} open cases moved in {elapsed:.1f} s: {moved / elapsed:.0f} cases/s")
    app.state.platform.db.dispose()


def main() -> None:
    broker = bench_broker()
    for backend in backends():
        with tempfile.TemporaryDirectory() as tmp, fresh_database(backend, Path(tmp), "sanctions") as url:
            print(f"sanctions on {backend}:")
            no_show_stream(url, broker)
            deadline_job(url)


if __name__ == "__main__":
    main()
