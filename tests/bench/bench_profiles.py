"""`make bench`, profile bank: BENCH_PROFILES generated profiles (1,000,000 by default) loaded in
bulk into the service's database (the domain builds them; rows written directly, not through HTTP),
the search index built from them, search with facets p50/p95/p99 through the gateway for a fixed set
of typical queries (repeated, then each right after a write, when the index commits and its remembered
facet counts go), the same queries on a plain PostgreSQL baseline in the same run and the ratios,
ranking the profiles for an offer, profiles built per second from the registration stream
(BENCH_PROFILE_STREAM events), and the service's resident memory.

Prints figures; asserts nothing about time. The service runs as `make run` starts it (one API
process, SQLite) behind a real gateway, searching as a France Travail agency (the counsellors'
audience). BENCH_PYSPY=<file> records the profiles process with py-spy while the searches run.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import islice
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa
from kafka import KafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.core.migrations import upgrade  # noqa: E402
from services.core.referentials.geo import default_geo  # noqa: E402
from services.profiles.adapters.orm import KeptOfferRow, ProfileRow  # noqa: E402
from services.profiles.adapters.repository import fill  # noqa: E402
from services.profiles.domain.consent import Audience  # noqa: E402
from services.profiles.domain.matching import folded_skills  # noqa: E402
from services.profiles.domain.profile import Profile  # noqa: E402
from services.registration.published import PERSONS  # noqa: E402
from tests.bench import figures  # noqa: E402
from tests.bench import profiles_baseline as baseline  # noqa: E402
from tests.bench.figures import (  # noqa: E402
    baseline_url, bench_broker, load_baseline, percentile, print_ratios, resident_memory_mb,
)
from tests.bench.offers_dataset import weighted_communes  # noqa: E402
from tests.bench.profiles_dataset import ProfileWorld, generate_profiles, registered  # noqa: E402
from tests.support.stack import Stack  # noqa: E402

PROFILES = int(os.environ.get("BENCH_PROFILES", "1000000"))
STREAM = int(os.environ.get("BENCH_PROFILE_STREAM", "20000"))  # registrations sent once the bank is loaded
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "40"))  # timed runs of each query, after a warm-up
PYSPY = os.environ.get("BENCH_PYSPY")
SEED = 11
CHUNK = 5000  # rows per insert
OFFERS = 8  # offers the searching agency published, ranked in turn
STALLED_S = 60  # the stream is over when no profile was built for this long
SEARCHER, SEARCHER_ORG = "ft-agence-nantes", "ft-agence-44-nantes-est"  # deploy/local/partners.yaml
AUDIENCE = Audience.COUNSELLORS
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def queries() -> list[baseline.Query]:
    """What recruiters and counsellors ask most: a trade, a skill, a place, a contract, a date."""
    today = NOW.date()
    return [
        baseline.Query("one ROME code", rome_codes=("K2204",)),
        baseline.Query("ROME + skill, 30 km around Nantes", rome_codes=("G1803",), skills=("le sens du service",),
                       commune_code="44109", radius_km=30),
        baseline.Query("interim, licence, available in 30 days", contract_types=("MIS",), driving_licence=True,
                       available_by=today + timedelta(days=30)),
        baseline.Query("one skill", skills=("la rigueur",)),
        baseline.Query("three ROME codes, 50 km around Lyon", rome_codes=("N1103", "K2204", "G1602"),
                       commune_code="69123", radius_km=50),
        baseline.Query("CDI full time, speaks English", contract_types=("CDI",), working_time="full_time",
                       languages=("en",)),
        baseline.Query("two ROME codes + two skills", rome_codes=("K1302", "K1303"),
                       skills=("l'écoute et la bienveillance", "le permis B et un véhicule")),
        baseline.Query("everything (facets over the whole bank)"),
    ]


def service_params(query: baseline.Query) -> dict:
    params = {"rome_codes": list(query.rome_codes), "skills": list(query.skills), "commune_code": query.commune_code,
              "radius_km": query.radius_km, "available_by": query.available_by and query.available_by.isoformat(),
              "contract_types": list(query.contract_types), "working_time": query.working_time,
              "languages": list(query.languages),
              "driving_licence": "true" if query.driving_licence else None}
    return {key: value for key, value in params.items() if value not in (None, [])}


# -- loading -------------------------------------------------------------------------------------
def profiles() -> Iterator[Profile]:
    return generate_profiles(PROFILES, SEED, NOW)


def load_bank(url: str) -> None:
    """The service's tables, filled by plain inserts of what the repository would write."""
    upgrade("profiles", url)
    engine = sa.create_engine(url)
    started, done, stream = time.perf_counter(), 0, profiles()
    columns = [column.key for column in ProfileRow.__table__.columns]
    while chunk := list(islice(stream, CHUNK)):
        rows = []
        for profile in chunk:
            row = ProfileRow(person_id=profile.person_id)
            fill(row, profile, NOW)
            rows.append({name: getattr(row, name) for name in columns})
        with engine.begin() as conn:
            conn.execute(sa.insert(ProfileRow), rows)
        done += len(rows)
        if done % 100_000 == 0:
            print(f"    {done} profiles, {done / (time.perf_counter() - started):7.0f}/s", flush=True)
    with engine.begin() as conn:
        conn.execute(sa.insert(KeptOfferRow), kept_offers())
    engine.dispose()
    elapsed = time.perf_counter() - started
    print(f"  bulk load: {done} profiles built by the domain and inserted in {elapsed:.0f} s ({done / elapsed:.0f}/s)")


def kept_offers() -> list[dict]:
    """Offers of the searching agency, as the bank keeps them from the offers events."""
    world, rng = ProfileWorld(), random.Random(f"offers-{SEED}")
    communes, weights = weighted_communes()
    return [{"offer_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "owner_org_id": SEARCHER_ORG,
             "status": "published",
             "rome_code": rng.choices(world.trades, cum_weights=world.trade_weights)[0].rome,
             "commune_code": rng.choices(communes, cum_weights=weights)[0][0],
             "contract_type": rng.choices(world.contracts, cum_weights=world.contract_weights)[0],
             "working_time": rng.choice(("full_time", "part_time"))} for _ in range(OFFERS)]


def count(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def wait_for_index(url: str, total: int, started: float) -> None:
    """Until the service's index job has emptied the queue the triggers filled; `started`: before the
    platform's processes were (the job starts with the service)."""
    shown = 0.0
    while (queued := count(url, "SELECT count(*) FROM profile_search_queue")) > 0:
        if time.perf_counter() - shown > 30:
            print(f"    {total - queued} profiles indexed", flush=True)
            shown = time.perf_counter()
        time.sleep(1)
    elapsed = time.perf_counter() - started  # includes the platform's startup: a lower bound of the rate
    print(f"  search index built by the service within {elapsed:.0f} s ({total / elapsed:.0f} profiles/s at least)")


# -- timing --------------------------------------------------------------------------------------
def service_search(stack: Stack):
    client = httpx.Client(base_url=stack.url, timeout=60, headers={"Authorization": f"Bearer {stack.token(SEARCHER)}"})

    def run_one(query: baseline.Query) -> None:
        answer = client.get("/v1/profiles", params=service_params(query))
        answer.raise_for_status()
        assert answer.json()["facets"], answer.text
    return run_one


@dataclass(frozen=True)
class OfferQuery:
    name: str
    offer_id: str


def ranking(stack: Stack, offers: list[dict]) -> None:
    client = httpx.Client(base_url=stack.url, timeout=60, headers={"Authorization": f"Bearer {stack.token(SEARCHER)}"})

    def run_one(query: OfferQuery) -> None:
        answer = client.get(f"/v1/profiles/offers/{query.offer_id}/matches", params={"limit": 20})
        answer.raise_for_status()

    named = [OfferQuery(f"{offer['rome_code']} {offer['contract_type']} at {offer['commune_code']}", offer["offer_id"])
             for offer in offers]
    samples = figures.latencies(named, run_one, "ranking the profiles for an offer through the gateway, 20 best", RUNS)
    every = [t for timings in samples.values() for t in timings]
    print(f"  ranking for an offer: p95 {percentile(every, 95):.1f} ms over {len(every)} requests")


def recorded(pid: int):
    """py-spy on the process while the block runs, when BENCH_PYSPY names a file."""
    if not PYSPY:
        return None
    return subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--rate", "200",
                             "--format", "raw", "--output", PYSPY], stdout=subprocess.DEVNULL)


def stream(broker, url: str) -> None:
    """STREAM registrations on the registration topic: profiles built per second by the service's consumer."""
    before = count(url, "SELECT count(*) FROM profiles")
    world, rng = ProfileWorld(), random.Random(f"stream-{SEED}")
    producer = KafkaProducer(**broker.config, acks="all", linger_ms=20)
    started = time.perf_counter()
    for _ in range(STREAM):
        envelope = registered(world, rng, NOW)
        producer.send(PERSONS.address, key=envelope.subject.encode(), value=envelope.to_json())
    producer.flush()
    producer.close()
    sent = time.perf_counter() - started
    built, progress = 0, time.perf_counter()
    while built < STREAM and time.perf_counter() - progress < STALLED_S:  # a refused event never comes
        time.sleep(2)
        if (now_built := count(url, "SELECT count(*) FROM profiles") - before) > built:
            built, progress = now_built, time.perf_counter()
    elapsed = progress - started
    print(f"  registration stream: {STREAM} registrations sent in {sent:.0f} s, {built} profiles built in "
          f"{elapsed:.0f} s: {built / elapsed:.0f} profiles/s (with orientation consuming the same stream)")


def memory(stack: Stack, when: str) -> None:
    rss = resident_memory_mb(stack.services["profiles"].process.pid)
    print(f"  profiles process resident memory {when}: {rss['VmRSS']:.0f} MB ({rss['RssAnon']:.0f} MB its own, "
          f"{rss['RssFile']:.0f} MB of mapped files: database, search index)")


def first_after_a_write(url: str, stack: Stack) -> dict[str, list[float]]:
    """Each timed search right after a write to one profile, so that its catch-up commits the index
    and nothing counted before is remembered: the cost of a search at a new commit (facets counted,
    the index's commit included), where the figures above are the searches that follow at the same one."""
    run_one, engine = service_search(stack), sa.create_engine(url)
    with engine.connect() as conn:
        person_id = conn.execute(sa.select(ProfileRow.person_id).limit(1)).scalar_one()
    touch = sa.update(ProfileRow).where(ProfileRow.person_id == person_id).values(version=ProfileRow.version)
    samples: dict[str, list[float]] = {}
    for query in queries():
        samples[query.name] = []
        for _ in range(RUNS):
            with engine.begin() as conn:  # the queue trigger files the profile: the next search indexes it
                conn.execute(touch)
            started = time.perf_counter()
            run_one(query)
            samples[query.name].append((time.perf_counter() - started) * 1000)
    engine.dispose()
    figures.report("the same, each right after a write (a new index commit: nothing remembered)", samples, RUNS)
    return samples


def compare_with_baseline(service: dict[str, list[float]], after_a_write: dict[str, list[float]]) -> None:
    if not (url := baseline_url()):
        return
    load_baseline("profiles", lambda: baseline.load(url, profiles()))
    geo = default_geo()

    def run_one(query: baseline.Query) -> None:
        communes = (tuple(geo.communes_within(query.commune_code, query.radius_km)) if query.radius_km
                    else (query.commune_code,) if query.commune_code else ())
        baseline.search(conn, AUDIENCE, query, folded_skills(list(query.skills)), communes)

    with psycopg.connect(url) as conn:
        plain = figures.latencies(queries(), run_one, "plain PostgreSQL (baseline): search with facets", RUNS)
        conn.execute("DROP TABLE baseline_profiles")
    print("  searches at the same index commit (facets remembered):")
    print_ratios(service, plain)
    print("  searches right after a write (facets counted):")
    print_ratios(after_a_write, plain)


def main() -> None:
    broker = bench_broker()
    print(f"\n[profiles] {PROFILES} profiles (seed {SEED})")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'profiles.db'}"  # where Stack.start puts the service's database
        load_bank(url)
        offers = kept_offers()
        started = time.perf_counter()
        stack = Stack.start(broker, workdir)
        try:
            wait_for_index(url, PROFILES, started)
            memory(stack, "once indexed")
            spy = recorded(stack.services["profiles"].process.pid)
            try:
                service = figures.latencies(queries(), service_search(stack),
                                            "profiles service through the gateway (SQLite record, tantivy index): "
                                            "search with facets", RUNS)
            finally:
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(timeout=120)
                    print(f"  py-spy samples of the searches: {PYSPY}")
            after_a_write = first_after_a_write(url, stack)
            ranking(stack, offers)
            memory(stack, "after the searches")
            stream(broker, url)
            memory(stack, "after the stream")
        finally:
            stack.stop()
        compare_with_baseline(service, after_a_write)


if __name__ == "__main__":
    main()
