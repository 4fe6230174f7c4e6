"""Per-client rate limits (token bucket), with the IETF RateLimit headers on every answer.

Buckets live in this gateway process: with several gateway replicas each enforces its share;
a shared store (e.g. Redis) is the production step, behind the same interface.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from opentelemetry import metrics

# The client id is a verified token's subject, so the label takes registered clients only.
_rejections = metrics.get_meter("gateway").create_counter(
    "gateway.rate_limit.rejections", unit="{request}", description="Requests refused for exceeding a client's rate.")


@dataclass
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_seconds)
        return headers


class RateLimiter:
    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last refill time)
        self._lock = threading.Lock()

    def check(self, client_id: str, per_minute: int, label: str | None = None) -> Decision:
        """`label`: what the rejections metric says in place of the key (a person's bucket is theirs,
        but their id must not become a metric series)."""
        rate = per_minute / 60.0
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(client_id, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[client_id] = (tokens, now)
        if not allowed:
            _rejections.add(1, {"client_id": label or client_id})
        wait = 0 if allowed else math.ceil((1.0 - tokens) / rate)
        full_in = math.ceil((per_minute - tokens) / rate)
        return Decision(allowed, per_minute, int(tokens), wait if not allowed else full_in)
