"""`make bench`, first part: the platform against the speed of its own server stack (issue 10's goals).

Yardsticks: a bare FastAPI app served exactly as the services are (tests/bench/bare_app.py), and Debian's nginx
as a keep-alive reverse proxy in front of the registration service. The platform runs as the end-to-end stack
does, on the bench broker and SQLite, from the working tree and from the issue's starting commit (a
`git worktree`), one after the other in the same run, so that a throughput reads as "×N in one run" rather
than as a comparison of days. wrk drives every HTTP figure (tests/bench/loadgen.py).

Prints each goal's figure, baseline, ratio and whether it holds; asserts nothing about time.
Quick run: BENCH_WRK_SECONDS=2 BENCH_BACKLOG=300 BENCH_DELAY_SAMPLES=20.
`bench_baseline.py reads` (`make bench PART=baseline-reads`): only the bare app and the working tree's reads
(healthz, direct, through the gateway, through nginx) and their ratios, a minute or two: what each change to the
serving path is measured with before the whole part.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.core.memory import IDLE_CPU_SHARE, WINDOW_SECONDS as IDLE_WINDOW_SECONDS  # noqa: E402
from services.core.settings import REPO_ROOT  # noqa: E402
from tests.bench import loadgen  # noqa: E402
from tests.bench.bench_journey import (  # noqa: E402
    AGENCY, DOSSIER_CONSUMER, DossierDelays, decisions_per_second, fill_backlog, registration_to_dossier_delay,
    wait_until_caught_up,
)
from tests.bench.bench_registration import random_person  # noqa: E402
from tests.bench.figures import bench_broker, percentile  # noqa: E402
from tests.bench.loadgen import Run  # noqa: E402
from tests.bench.reverse_proxy import reverse_proxy  # noqa: E402
from tests.bench.trees import PlainBroker, Platform, checked_out  # noqa: E402
from tests.support.kafka import TestBroker  # noqa: E402
from tests.support.processes import ServiceProcess, free_port  # noqa: E402

STARTING_COMMIT = os.environ.get("BENCH_STARTING_COMMIT", "65fe225")  # the last commit before issue 10
REGISTERED_TOPIC = "registration.persons.v1"
BODIES_PER_SECOND = 1000  # distinct registrations prepared per second of load: more than the goal needs
MIB = 2**20
IDLE_AT_MOST_SECONDS = 120
PLAIN_BROKER_OFFSET = 2  # the starting commit's broker: the bench broker's ports + 2 and + 3
# The starting commit as it was served: uvicorn's automatic choice would take uvloop and httptools once installed.
STARTING_SERVER = {"UVICORN_LOOP": "asyncio", "UVICORN_HTTP": "h11"}


@dataclass(frozen=True)
class Pair:
    """One endpoint: throughput over loadgen.CONNECTIONS connections, and latency one request at a time."""
    loaded: Run
    sequential: Run


@dataclass
class TreeFigures:
    healthz: Pair
    read_direct: Pair
    read_gateway: Pair
    post: Run
    event_delays_ms: list[float]  # broker timestamp of each accepted registration's event minus its 201
    events_missing: int
    decisions_per_second: float
    read_nginx: Pair | None  # measured on the working tree only, like the dossier delay
    dossier_delays_ms: DossierDelays | None
    rss_mib: dict[str, float]  # each process, idle after the load
    bare: dict[str, "Run"] | None  # the yardstick, measured beside the working tree's idle platform


def main(argv: list[str]) -> None:
    subprocess.run([str(REPO_ROOT / "deploy" / "local" / "tools.sh"), "bench"], check=True)
    broker = bench_broker()
    if argv == ["reads"]:
        return reads_only(broker)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        fill_backlog(broker, workdir / "backlog")
        with checked_out(STARTING_COMMIT, workdir / "starting-tree") as starting_tree:
            print(f"\n[{STARTING_COMMIT}] the platform of the issue's starting commit, on a plain broker of its own")
            before = measure_starting_tree(starting_tree, workdir / "before", broker.port + PLAIN_BROKER_OFFSET)
        print("\n[now] the platform of the working tree")
        now = measure_tree(broker, REPO_ROOT, workdir / "now", working_tree=True)
    print_figures(before, now)
    print_goals(now.bare, before, now)


def reads_only(broker: TestBroker) -> None:
    """The serving path alone, on the working tree: no backlog, no starting commit, no writes."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("\n[now] the reads of the working tree's platform")
        platform = Platform.start(REPO_ROOT, workdir / "now", broker)
        try:
            bare = bare_app(workdir)
            registration = platform.services["registration"]["url"]
            path = f"/v1/registrations/{registered_one(platform)}"
            headers = platform.headers(AGENCY)
            healthz = pair("registration /healthz", f"{registration}/healthz")
            direct = pair("GET one registration, direct", registration + path, headers)
            gateway = pair("GET one registration, through the gateway", platform.url + path, headers)
            nginx = read_through_nginx(registration, path, headers, workdir)
        finally:
            platform.stop()
    print_read_goals(bare, healthz, direct, gateway, nginx)


def measure_starting_tree(tree: Path, workdir: Path, port: int) -> TreeFigures:
    """The starting commit cannot log in to a SASL broker: it gets a plain one, filled with its own
    registered stream of BACKLOG people, and stopped once measured (two brokers would crowd the machine)."""
    broker = PlainBroker(port, tree)
    broker.start()
    try:
        broker.ensure_topics()
        fill_backlog(broker, workdir / "backlog", lambda: Platform.start(tree, workdir / "backlog", broker,
                                                                         **STARTING_SERVER))
        return measure_tree(broker, tree, workdir, working_tree=False)
    finally:
        broker.stop()


def bare_app(workdir: Path) -> dict[str, Run]:
    """Measured while the working tree's platform is up and idle: the services are measured beside their
    siblings' idle threads (consumers' polls, relays), and so is their yardstick."""
    app = ServiceProcess("bare-app", "tests.bench.bare_app", free_port(), {}, workdir)
    app.start(wait_path="/healthz/sync")
    try:
        print("\n[bare app] FastAPI, one sync and one async endpoint, the services' server stack")
        return {kind: report(f"bare {kind} /healthz", loadgen.throughput(f"{app.url}/healthz/{kind}"))
                for kind in ("sync", "async")}
    finally:
        app.stop()


def measure_tree(broker: TestBroker, tree: Path, workdir: Path, working_tree: bool) -> TreeFigures:
    """Reads first, on a platform idle since it caught up with the stream; then writes, whose events keep
    the consumers busy for a while. The working tree is also read through nginx, and timed to the dossier.
    Idle means every process, not the dossier's consumer alone: the reads share two cores with whatever
    service is still applying the backlog, and the bare app they are held against is measured on an idle
    platform."""
    server = {} if working_tree else STARTING_SERVER
    platform, decisions = decisions_per_second(broker, lambda: Platform.start(tree, workdir, broker, **server))
    dossier_group = platform.consumer_group("dossier", DOSSIER_CONSUMER)
    try:
        wait_until_caught_up(broker, dossier_group)
        wait_until_idle(platform.pids())
        registration = platform.services["registration"]["url"]
        path = f"/v1/registrations/{registered_one(platform)}"
        headers = platform.headers(AGENCY)  # valid for 15 minutes: the reads take a few
        healthz = pair("registration /healthz", f"{registration}/healthz")
        read_direct = pair("GET one registration, direct", registration + path, headers)
        read_gateway = pair("GET one registration, through the gateway", platform.url + path, headers)
        read_nginx = read_through_nginx(registration, path, headers, workdir) if working_tree else None
        bare = bare_app(workdir) if working_tree else None
        post, delays, missing = registrations_to_kafka(broker, platform, workdir)
        wait_until_caught_up(broker, dossier_group)
        dossier = dossier_delays(platform, workdir) if working_tree else None
        return TreeFigures(healthz, read_direct, read_gateway, post, delays, missing, decisions, read_nginx,
                           dossier, idle_rss(platform), bare)
    finally:
        platform.stop()


def read_through_nginx(service: str, path: str, headers: dict[str, str], workdir: Path) -> Pair:
    with reverse_proxy(int(service.rsplit(":", 1)[1]), workdir) as proxy:
        return pair("GET one registration, through nginx", proxy + path, headers)


def dossier_delays(platform: Platform, workdir: Path) -> DossierDelays:
    with httpx.Client(base_url=platform.url, headers=platform.headers(AGENCY), timeout=30) as api:
        return registration_to_dossier_delay(api, f"sqlite:///{workdir / 'dossier.db'}")  # Stack's default


def pair(label: str, url: str, headers: dict[str, str] | None = None) -> Pair:
    return Pair(report(label, loadgen.throughput(url, headers)),
                report(f"{label}, one at a time", loadgen.sequential(url, headers)))


def report(label: str, run: Run) -> Run:
    failures = run.failures_said()
    print(f"  {label:<52} {run.per_second:8.1f} req/s   p50 {run.p50_ms:7.2f} ms   p99 {run.p99_ms:7.2f} ms"
          f"{failures}", flush=True)
    return run


def registered_one(platform: Platform) -> str:
    answer = httpx.post(f"{platform.url}/v1/registrations", json=random_person(), headers=platform.headers(AGENCY))
    answer.raise_for_status()
    return answer.json()["id"]


def registrations_to_kafka(broker: TestBroker, platform: Platform, workdir: Path) -> tuple[Run, list[float], int]:
    """POST distinct registrations through the gateway under load, then time each accepted one's event on the
    topic: its broker timestamp minus the wall-clock time wrk received the 201."""
    bodies = workdir / "registrations.jsonl"
    bodies.write_text("".join(json.dumps(random_person()) + "\n"
                              for _ in range(BODIES_PER_SECOND * loadgen.SECONDS)))
    since = broker.end_offsets(REGISTERED_TOPIC)
    headers = {**platform.headers(AGENCY), "Content-Type": "application/json"}
    run = loadgen.post_throughput(f"{platform.url}/v1/registrations", headers, bodies, workdir / "created")
    accepted = created_at(workdir, "created")
    published: dict[str, int] = {}

    def all_published(messages) -> bool:
        for message in messages[len(published):]:  # read() only appends
            published.setdefault(message.key.decode(), message.timestamp)
        return accepted.keys() <= published.keys()

    broker.read(REGISTERED_TOPIC, since, all_published, timeout=120)
    delays = [published[id_] - at for id_, at in accepted.items() if id_ in published]
    missing = len(accepted) - len(delays)
    timing = f"p50 {percentile(delays, 50):.0f} ms, p99 {percentile(delays, 99):.0f} ms" if len(delays) > 1 else "-"
    print(f"  {'POST /v1/registrations through the gateway':<52} {run.created_per_second:8.1f} 201/s"
          f"   ({run.requests - run.created} other answers); event on Kafka after its 201: {timing}"
          f"{f', {missing} never seen' if missing else ''}", flush=True)
    return run, delays, missing


def created_at(workdir: Path, prefix: str) -> dict[str, float]:
    """Registration id -> epoch ms of its 201, from the files post.lua wrote (one per wrk thread)."""
    accepted = {}
    for path in workdir.glob(f"{prefix}.*"):
        for line in path.read_text().splitlines():
            id_, at = line.split()
            accepted[id_] = float(at)
    return accepted


def idle_rss(platform: Platform) -> dict[str, float]:
    """Each process's resident memory once idle, and one more window after, in which it gives back what it
    freed (services/core/memory.py). A fixed wait read profiles while its search index still caught up
    with the writes just made."""
    pids = platform.pids()
    wait_until_idle(pids)
    time.sleep(IDLE_WINDOW_SECONDS + 1)
    return {name: resident_mib(pid) for name, pid in pids.items()}


def wait_until_idle(pids: dict[str, int]) -> None:
    """Until every process has spent a window under the share of a core at which services/core/memory.py
    judges it idle. A process still busy after IDLE_AT_MOST_SECONDS is named and left to itself."""
    started = time.monotonic()
    deadline, busy, before = started + IDLE_AT_MOST_SECONDS, set(pids), cpu_seconds(pids)
    while busy and time.monotonic() < deadline:
        time.sleep(IDLE_WINDOW_SECONDS)
        now = cpu_seconds(pids)
        busy = {name for name in pids if now[name] - before[name] >= IDLE_CPU_SHARE * IDLE_WINDOW_SECONDS}
        before = now
    if busy:
        print(f"  still busy after {IDLE_AT_MOST_SECONDS} s: {', '.join(sorted(busy))}")
    else:
        print(f"  every process idle after {time.monotonic() - started:.0f} s", flush=True)


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """Each process's CPU time so far (user and system), from /proc/<pid>/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for name, pid in pids.items():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        seconds[name] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MIB
    return math.nan


def print_figures(before: TreeFigures, now: TreeFigures) -> None:
    print(f"\n== the platform in this run: the starting commit {STARTING_COMMIT} and now ==")
    print(f"  {'':<46} {STARTING_COMMIT:>10} {'now':>10} {'now/before':>11}")
    rows = (("registration /healthz, req/s", lambda f: f.healthz.loaded.per_second),
            ("  one at a time, p50 ms", lambda f: f.healthz.sequential.p50_ms),
            ("GET one registration direct, req/s", lambda f: f.read_direct.loaded.per_second),
            ("  one at a time, p50 ms", lambda f: f.read_direct.sequential.p50_ms),
            ("GET one registration via the gateway, req/s", lambda f: f.read_gateway.loaded.per_second),
            ("  one at a time, p50 ms", lambda f: f.read_gateway.sequential.p50_ms),
            ("POST /v1/registrations via the gateway, 201/s", lambda f: f.post.created_per_second),
            ("orientation decisions/s from the stream", lambda f: f.decisions_per_second))
    for label, figure in rows:
        print(f"  {label:<46} {figure(before):10.2f} {figure(now):10.2f} {times(figure(now), figure(before)):>11}")
    nginx = now.read_nginx
    print(f"  {'GET one registration via nginx, req/s':<46} {'':>10} {nginx.loaded.per_second:10.2f}")
    print(f"  {'  one at a time, p50 ms':<46} {'':>10} {nginx.sequential.p50_ms:10.2f}")
    for label, figures in ((STARTING_COMMIT, before), ("now", now)):
        print(f"  idle RSS ({label}): " + ", ".join(f"{name} {mib:.0f}" for name, mib in figures.rss_mib.items())
              + " MiB")


def print_read_goals(bare: dict[str, Run], healthz: Pair, direct: Pair, gateway: Pair, nginx: Pair) -> None:
    print("\n== issue 10's read goals: each a ratio within this run (printed, never asserted) ==")
    print(f"  {'figure':<46} {'value':>12} {'baseline':>12} {'ratio':>8}  {'goal':<10} holds")
    read_goals(bare, healthz, direct, gateway, nginx)


def read_goals(bare: dict[str, Run], healthz: Pair, direct: Pair, gateway: Pair, nginx: Pair) -> None:
    sync, async_ = bare["sync"].per_second, bare["async"].per_second
    served, read, proxied = healthz.loaded.per_second, direct.loaded.per_second, gateway.loaded.per_second
    gateway_added = gateway.sequential.p50_ms - direct.sequential.p50_ms
    nginx_added = nginx.sequential.p50_ms - direct.sequential.p50_ms
    goal("service /healthz / bare async", f"{served:.0f}/s", f"{async_:.0f}/s", served / async_, 0.8)
    goal("service /healthz / bare sync", f"{served:.0f}/s", f"{sync:.0f}/s", served / sync, 0.8)
    goal("GET direct / bare async", f"{read:.0f}/s", f"{async_:.0f}/s", read / async_, 0.4)
    goal("GET via the gateway / direct", f"{proxied:.0f}/s", f"{read:.0f}/s", proxied / read, 0.8)
    row("gateway's added p50 - nginx's added p50", f"{gateway_added:.2f} ms", f"{nginx_added:.2f} ms",
        f"{gateway_added - nginx_added:+.2f}", "<= 1 ms", gateway_added - nginx_added <= 1)


def print_goals(bare: dict[str, Run], before: TreeFigures, now: TreeFigures) -> None:
    async_ = bare["async"].per_second
    post = now.post.created_per_second
    event_p99 = percentile(now.event_delays_ms, 99) if len(now.event_delays_ms) > 1 else math.inf
    shown_p99, committed_p99 = (percentile(delays, 99) for delays in (now.dossier_delays_ms.shown,
                                                                       now.dossier_delays_ms.committed))
    heaviest = max(now.rss_mib, key=now.rss_mib.get)
    decisions_ratio = now.decisions_per_second / before.decisions_per_second
    print("\n== issue 10's goals: each a ratio within this run (printed, never asserted) ==")
    print(f"  {'figure':<46} {'value':>12} {'baseline':>12} {'ratio':>8}  {'goal':<10} holds")
    read_goals(bare, now.healthz, now.read_direct, now.read_gateway, now.read_nginx)
    goal("POST 201s via the gateway / bare async", f"{post:.0f}/s", f"{async_:.0f}/s", post / async_, 0.15)
    row("each 201's event on Kafka, p99", f"{event_p99:.0f} ms", "", f"{now.events_missing} lost",
        "<= 250 ms", event_p99 <= 250 and now.events_missing == 0)
    row(f"orientation decisions/s / {STARTING_COMMIT}'s", f"{now.decisions_per_second:.0f}/s",
        f"{before.decisions_per_second:.0f}/s", times(now.decisions_per_second, before.decisions_per_second),
        ">= 5x", decisions_ratio >= 5)
    row("registration -> dossier shows orientation p99", f"{shown_p99:.0f} ms", "", "", "<= 100 ms",
        shown_p99 <= 100)
    row("  the same, committed, by the dossier's clock", f"{committed_p99:.0f} ms", "", "", "<= 100 ms",
        committed_p99 <= 100)
    row(f"idle RSS of each process (max: {heaviest})", f"{now.rss_mib[heaviest]:.0f} MiB", "", "", "<= 150 MB",
        now.rss_mib[heaviest] * MIB <= 150e6)


def goal(label: str, value: str, baseline: str, ratio: float, at_least: float) -> None:
    row(label, value, baseline, f"{ratio:.2f}", f">= {at_least}", ratio >= at_least)


def row(label: str, value: str, baseline: str, ratio: str, goal_text: str, holds: bool) -> None:
    print(f"  {label:<46} {value:>12} {baseline:>12} {ratio:>8}  {goal_text:<10} {'yes' if holds else 'NO'}")


def times(now: float, before: float) -> str:
    return f"x{now / before:.2f}" if before else "-"


if __name__ == "__main__":
    main(sys.argv[1:])
