"""Guessing client secrets at `/oauth/token` is slowed to nothing: after too many failures in a
window, a client id, or an address, is refused with 429 until the window has moved on.

Per client, so a secret cannot be guessed from many addresses; per address, so one address cannot
guess at every client in turn. A success clears its client's count only: an address holding one
valid secret must not be able to clear its own count between guesses at other clients.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque

from services.core.problems import Problem

WINDOW_SECONDS = 300.0
MAX_FAILURES_PER_CLIENT = 10
MAX_FAILURES_PER_ADDRESS = 30
# Beyond this many subjects tracked, those without a failure in the window are forgotten.
_PRUNE_ABOVE = 10_000


class FailureCount:
    """Failures per subject in a sliding window; a subject with `limit` of them is locked out."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock=time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, subject: str) -> int | None:
        """Seconds until `subject` may try again, or None when it may now."""
        with self._lock:
            failures = self._recent(subject)
            if len(failures) < self.limit:
                return None
            return max(1, math.ceil(failures[-self.limit] + self.window - self.clock()))

    def failed(self, subject: str) -> None:
        with self._lock:
            if len(self._failures) > _PRUNE_ABOVE:
                for stale in [name for name in self._failures if not self._recent(name)]:
                    del self._failures[stale]
            self._failures.setdefault(subject, deque(maxlen=self.limit)).append(self.clock())

    def cleared(self, subject: str) -> None:
        with self._lock:
            self._failures.pop(subject, None)

    def _recent(self, subject: str) -> deque[float]:
        failures = self._failures.get(subject, deque())
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        return failures


class TokenGuard:
    """The lock-outs of the token endpoint. `client_id` is given for registered clients only, so
    made-up names take no memory; the address limit covers them."""

    def __init__(self, clock=time.monotonic) -> None:
        self.by_client = FailureCount(MAX_FAILURES_PER_CLIENT, clock=clock)
        self.by_address = FailureCount(MAX_FAILURES_PER_ADDRESS, clock=clock)

    def check(self, client_id: str | None, address: str) -> None:
        waits = [self.by_address.retry_after(address)]
        if client_id is not None:
            waits.append(self.by_client.retry_after(client_id))
        wait = max((seconds for seconds in waits if seconds is not None), default=None)
        if wait is not None:
            raise Problem(429, "Too many failed authentications; retry after the delay given.",
                          slug="too-many-failed-authentications", headers={"Retry-After": str(wait)})

    def failed(self, client_id: str | None, address: str) -> None:
        self.by_address.failed(address)
        if client_id is not None:
            self.by_client.failed(client_id)

    def succeeded(self, client_id: str) -> None:
        self.by_client.cleared(client_id)
