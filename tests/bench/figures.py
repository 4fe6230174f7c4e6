"""Shared by the benchmarks: percentiles, timed query runs and their report, resident memory, and
the backends to run on."""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.support.databases import postgres_admin_url
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


def latencies(queries: Sequence, run_one: Callable, label: str, runs: int) -> dict[str, list[float]]:
    """`runs` timed runs (ms) of each query (anything with a `name`), after a warm-up run: caches,
    query plans. Prints them."""
    samples: dict[str, list[float]] = {}
    for query in queries:
        run_one(query)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            run_one(query)
            timings.append((time.perf_counter() - started) * 1000)
        samples[query.name] = timings
    report(label, samples, runs)
    return samples


def report(label: str, samples: dict[str, list[float]], runs: int) -> None:
    print(f"  {label}: {runs} runs of each query, ms")
    print(f"    {'query':44} {'p50':>8} {'p95':>8} {'p99':>8}")
    for name, timings in samples.items():
        print(f"    {name:44} {percentile(timings, 50):8.1f} {percentile(timings, 95):8.1f} "
              f"{percentile(timings, 99):8.1f}")
    every = [t for timings in samples.values() for t in timings]
    print(f"    {'all queries':44} {percentile(every, 50):8.1f} {percentile(every, 95):8.1f} "
          f"{percentile(every, 99):8.1f}")


def print_ratios(service: dict[str, list[float]], baseline: dict[str, list[float]]) -> None:
    """The baseline's percentiles over every query, against the service's."""
    def every(samples: dict[str, list[float]]) -> list[float]:
        return [t for timings in samples.values() for t in timings]
    for p in (50, 95, 99):
        ratio = percentile(every(baseline), p) / percentile(every(service), p)
        print(f"  p{p}: the service answers x{ratio:.1f} faster than the baseline" if ratio >= 1
              else f"  p{p}: the baseline answers x{1 / ratio:.1f} faster than the service")


def resident_memory_mb(pid: int) -> dict[str, float]:
    """VmRSS, and its parts: the process's own memory, and file pages (the memory-mapped database)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "RssAnon", "RssFile")}


def baseline_url() -> str | None:
    """The PostgreSQL server of the plain baselines, as psycopg takes it; None (and said) without one."""
    url = postgres_admin_url()
    if not url:
        print("  baseline: skipped (no TEST_DATABASE_URL)")
        return None
    return url.replace("postgresql+psycopg://", "postgresql://")


def load_baseline(what: str, load: Callable[[], int]) -> None:
    started = time.perf_counter()
    count = load()
    print(f"  baseline: {count} {what} loaded and indexed in PostgreSQL in {time.perf_counter() - started:.0f} s")
