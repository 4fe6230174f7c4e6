"""wrk, the benchmarks' native load generator: throughput over CONNECTIONS connections, and latency one
request at a time. Each run's figures come from the JSON line tests/bench/wrk/report.lua prints."""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

WRK_DIR = Path(__file__).resolve().parent / "wrk"
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "16"))
THREADS = min(CONNECTIONS, os.cpu_count() or 1)
WARM_UP_SECONDS = 1  # first calls fill caches and open pools: not what is measured
MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    non_2xx_3xx: int
    socket_errors: int
    timeouts: int  # of the socket errors: no answer within wrk's 2 s
    created: int  # 201 answers, counted by post.lua only
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def created_per_second(self) -> float:
        return self.created / self.seconds

    @property
    def failures(self) -> int:
        return self.non_2xx_3xx + self.socket_errors

    def failures_said(self) -> str:
        """', 3 failed (2 not 2xx/3xx, 1 unanswered within 2 s)', or nothing when none did."""
        if not self.failures:
            return ""
        kinds = [f"{self.non_2xx_3xx} not 2xx/3xx" if self.non_2xx_3xx else "",
                 f"{self.timeouts} unanswered within 2 s" if self.timeouts else "",
                 f"{self.socket_errors - self.timeouts} connection errors" if self.socket_errors > self.timeouts else ""]
        return f", {self.failures} failed ({', '.join(kind for kind in kinds if kind)})"


def throughput(url: str, headers: dict[str, str] | None = None) -> Run:
    wrk(url, headers, THREADS, CONNECTIONS, WARM_UP_SECONDS)
    return wrk(url, headers, THREADS, CONNECTIONS, SECONDS)


def sequential(url: str, headers: dict[str, str] | None = None) -> Run:
    wrk(url, headers, 1, 1, WARM_UP_SECONDS)
    return wrk(url, headers, 1, 1, SECONDS)


def post_throughput(url: str, headers: dict[str, str], bodies: Path, created_log: Path) -> Run:
    """POST a distinct body of `bodies` per request (no warm-up: it would spend bodies); every 201's id and
    wall-clock receipt time (epoch ms) go to `created_log`.<thread>."""
    return wrk(url, headers, THREADS, CONNECTIONS, SECONDS, "post.lua", str(bodies), str(created_log), str(THREADS))


def wrk(url: str, headers: dict[str, str] | None, threads: int, connections: int, seconds: int,
        script: str = "report.lua", *script_args: str) -> Run:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", script]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    answer = subprocess.run([*command, url, *script_args], cwd=WRK_DIR, capture_output=True, text=True,
                            check=True, timeout=seconds + 60)
    line = next((line for line in answer.stdout.splitlines() if line.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures for {url}:\n{answer.stdout}\n{answer.stderr}")
    figures = json.loads(line.removeprefix(MARKER))
    return Run(requests=figures["requests"], seconds=figures["duration_us"] / 1e6,
               non_2xx_3xx=figures["non_2xx_3xx"], socket_errors=figures["socket_errors"],
               timeouts=figures["timeouts"], created=figures["created"],
               p50_ms=figures["p50_us"] / 1000, p99_ms=figures["p99_us"] / 1000)
