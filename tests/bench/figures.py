"""Shared by the benchmarks: percentiles and the backends to run on."""
from __future__ import annotations

import os
import statistics

from tests.support.kafka import TestBroker


def percentile(samples: list[float], p: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(p) - 1] if p < 100 else max(samples)


def backends() -> list[str]:
    """SQLite always; PostgreSQL too when the bench was given a server (make bench starts one)."""
    return ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def bench_broker() -> TestBroker:
    broker = TestBroker(int(os.environ.get("TEST_KAFKA_PORT", "19092")))
    broker.start()
    broker.ensure_topics()
    print(f"machine: {os.cpu_count()} cores; Kafka {broker.bootstrap}")
    return broker
