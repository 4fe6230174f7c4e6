"""`make bench`, offers: ingest of BENCH_OFFERS generated offers (1,000,000 by default) through the
import API, search latency with facets on them, the same searches on a plain PostgreSQL full-text
baseline in the same run, and the offers service's resident memory.

Prints figures; asserts nothing about time. The offers service runs as `make run` starts it (an API
process and an imports worker, as deploy/services.yaml lists them) on SQLite, the embedded default,
behind a real gateway; the baseline needs TEST_DATABASE_URL (make bench sets it).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.core.referentials.geo import default_geo  # noqa: E402
from services.offers.domain.model import InvalidOffer  # noqa: E402
from services.offers.domain.normalise import normalise  # noqa: E402
from tests.bench import offers_baseline as baseline  # noqa: E402
from tests.bench import figures  # noqa: E402
from tests.bench.figures import (  # noqa: E402
    baseline_url, bench_broker, load_baseline, print_ratios, resident_memory_mb,
)
from tests.bench.offers_dataset import BOARDS, evaluate, generate_feed, labelled_duplicates  # noqa: E402
from tests.support.stack import Stack  # noqa: E402
from services.offers.published import OFFERS as OFFER_STREAM  # noqa: E402

OFFERS = int(os.environ.get("BENCH_OFFERS", "1000000"))
FILE_LINES = 100_000  # offers per import file
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "40"))  # timed runs of each query, after a warm-up
SEED = 7
# The generator's boards, published by the two demo partners that publish for a source of their own.
PUBLISHERS = {board: ("emploi-ouest-board", "interim-ouest")[i % 2] for i, board in enumerate(BOARDS)}
NANTES = "44109"
OFFERS_TOPIC = OFFER_STREAM.address
MATCHING_CONSUMER = "offers.matching"  # services/offers/consumers.py


def queries() -> list[baseline.Query]:
    """What counsellors and job boards ask most: words, a trade, a place, a contract, a salary."""
    nantes = default_geo().commune(NANTES)
    near_nantes = (nantes.latitude, nantes.longitude, 30.0)
    return [
        baseline.Query("one word", text="boulanger"),
        baseline.Query("two words, one département", text="aide soignant", departement_code="44"),
        baseline.Query("ROME + CDI", rome_code="K2204", contract_type="CDI"),
        baseline.Query("words near Nantes, 30 km", text="chauffeur", near=near_nantes),
        baseline.Query("département by date", departement_code="69", sort="date"),
        baseline.Query("CDI, min salary 30 k€", contract_type="CDI", min_salary=30000),
        baseline.Query("everything, by date", sort="date"),
        baseline.Query("common word + CDD", text="equipe", contract_type="CDD"),
    ]


def service_params(query: baseline.Query) -> dict:
    params = {"q": query.text, "rome_code": query.rome_code, "contract_type": query.contract_type,
              "departement_code": query.departement_code, "min_salary": query.min_salary, "sort": query.sort}
    if query.near is not None:
        params.update(commune_code=NANTES, radius_km=query.near[2])
    return {key: value for key, value in params.items() if value is not None}


def feed() -> Iterator[tuple[str, dict]]:
    return generate_feed(OFFERS, SEED)


def write_files(workdir: Path) -> list[tuple[str, Path]]:
    """NDJSON files of at most FILE_LINES offers, per publishing partner."""
    files: list[tuple[str, Path]] = []
    handles: dict[str, tuple[object, int]] = {}
    for board, offer in feed():
        client = PUBLISHERS[board]
        handle, lines = handles.get(client, (None, FILE_LINES))
        if lines == FILE_LINES:
            if handle is not None:
                handle.close()
            path = workdir / f"{client}-{len(files):03d}.ndjson"
            files.append((client, path))
            handle, lines = path.open("w", encoding="utf-8"), 0
        handle.write(json.dumps(offer, ensure_ascii=False) + "\n")
        handles[client] = (handle, lines + 1)
    for handle, _ in handles.values():
        handle.close()
    return files


def ingest(stack: Stack, files: list[tuple[str, Path]]) -> float:
    """Imports the files one after the other; returns the peak resident memory (MB) of the imports
    worker's helper process, which lives only while a file is imported."""
    started = time.perf_counter()
    totals: dict[str, int] = {}
    worker, helper_peak = stack.services["offers-imports"].process.pid, 0.0
    for done, (client, path) in enumerate(files, start=1):
        with stack.client(client) as api, path.open("rb") as body:
            created = api.post("/v1/offers/imports", content=body, timeout=600,
                               headers={"Content-Type": "application/x-ndjson"})
            created.raise_for_status()
            while (job := api.get(created.headers["Location"], timeout=60).json())["status"] not in ("completed", "failed"):
                helper_peak = max([helper_peak, *children_peak_memory_mb(worker)])
                time.sleep(1)
            assert job["status"] == "completed", job
        for key in ("lines_total", "created", "merged", "updated", "quarantined", "rejected"):
            totals[key] = totals.get(key, 0) + job[key]
        rate = totals["lines_total"] / (time.perf_counter() - started)
        print(f"    {done}/{len(files)} files, {totals['lines_total']} offers, {rate:7.0f} offers/s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"  ingest: {totals['lines_total'] / elapsed:8.0f} offers/s through normalisation, legality check and "
          f"deduplication ({totals['lines_total']} offers in {elapsed:.0f} s)")
    print(f"          {totals['created']} canonical, {totals['merged']} merged as duplicates, "
          f"{totals['quarantined']} quarantined, {totals['rejected']} rejected lines")
    return helper_peak


def wait_until_idle(broker, stack: Stack) -> None:
    """Searches are timed once the service has published every event and matched every offer
    against the saved searches: otherwise the figures would measure the ingest's tail."""
    group = stack.services["offers"].env["CONSUMER_GROUP_PREFIX"] + MATCHING_CONSUMER
    started, last_end = time.perf_counter(), -1
    while True:
        end = sum(broker.end_offsets(OFFERS_TOPIC).values())
        if end == last_end and broker.lag(group) == 0:
            break
        last_end = end
        time.sleep(3)
    print(f"  (events published and matched {time.perf_counter() - started:.0f} s after the last import)")


def latencies(run_one, label: str) -> dict[str, list[float]]:
    return figures.latencies(queries(), run_one, f"{label}: search with facets", RUNS)


def service_search(stack: Stack):
    client = httpx.Client(base_url=stack.services["offers"].url, timeout=60,
                          headers={"Authorization": f"Bearer {stack.token('ft-agence-nantes')}"})

    def run_one(query: baseline.Query) -> None:
        answer = client.get("/v1/offers", params=service_params(query))
        answer.raise_for_status()
        assert answer.json()["facets"] is not None
    return run_one


def children_peak_memory_mb(pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of each child process of `pid`, whichever thread started it."""
    try:
        children = [child for task in Path(f"/proc/{pid}/task").iterdir()
                    for child in (task / "children").read_text().split()]
        return [int(line.split()[1]) / 1024 for child in children
                for line in Path(f"/proc/{child}/status").read_text().splitlines() if line.startswith("VmHWM:")]
    except FileNotFoundError:  # a thread or child that just ended
        return []


def baseline_rows() -> Iterator[tuple]:
    """The same offers, normalised as the service does, each published on a day of the last 60."""
    geo, today = default_geo(), date.today()
    for index, (board, offer) in enumerate(feed()):
        try:
            draft = normalise(offer, source=board, geo=geo)
        except InvalidOffer:
            continue
        yield draft, (today - timedelta(days=index % 60)).isoformat()


def compare_with_baseline(service: dict[str, list[float]]) -> None:
    if not (url := baseline_url()):
        return
    load_baseline("offers", lambda: baseline.load(url, baseline_rows()))
    with psycopg.connect(url) as conn:
        plain = latencies(lambda query: baseline.search(conn, query), "plain PostgreSQL full text (baseline)")
        conn.execute("DROP TABLE baseline_offers")
    print_ratios(service, plain)


def deduplication_quality() -> None:
    """Precision and recall of the deduplication on the generator's labelled pairs: the same job on
    two boards (reworded, reordered, edited) and distinct look-alikes (another branch, another job)."""
    pairs = [pair for seed in range(5) for pair in labelled_duplicates(seed)]
    result = evaluate(pairs)
    print(f"  deduplication on {len(pairs)} labelled pairs (seeds 0-4): precision {result['precision']:.3f}, "
          f"recall {result['recall']:.3f} ({result['false_positives']} look-alikes merged, "
          f"{result['false_negatives']} duplicates missed)")


def main() -> None:
    broker = bench_broker()
    print("\n[offers]")
    deduplication_quality()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print(f"  generating {OFFERS} offers (seed {SEED}) ...", flush=True)
        files = write_files(workdir)
        stack = Stack.start(broker, workdir)
        try:
            helper_peak = ingest(stack, files)
            wait_until_idle(broker, stack)
            for _, path in files:
                path.unlink()
            service = latencies(service_search(stack), "offers service (SQLite catalogue, tantivy search index, imports in a worker process)")
            for name in ("offers", "offers-imports"):
                memory = resident_memory_mb(stack.services[name].process.pid)
                print(f"  {name} process resident memory: {memory['VmRSS']:.0f} MB ({memory['RssAnon']:.0f} MB its "
                      f"own, {memory['RssFile']:.0f} MB of mapped files: database, search index)")
            print(f"  offers-imports helper process (prepares batches during an import): {helper_peak:.0f} MB at its peak")
        finally:
            stack.stop()
        compare_with_baseline(service)


if __name__ == "__main__":
    main()
