"""When a failed delivery is attempted again: about three days of exponential back-off, with jitter.

The delays after each failed attempt are those of the issue (5 s, 5 min, 30 min, 2 h, 5 h, then
10 h six times: 2 days 20 h in all, 3 days 10 h at most with jitter); after the last, the delivery is given up. Jitter spreads the
retries of many deliveries that failed together (a receiver's outage) so they do not all come back at
the same second: each delay is lengthened by up to a fifth of itself, never shortened.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

SCHEDULE: tuple[timedelta, ...] = (
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=5),
    *(timedelta(hours=10),) * 6,
)
MAX_ATTEMPTS = len(SCHEDULE) + 1
JITTER = 0.2


def next_attempt_at(attempts_made: int, failed_at: datetime,
                    jitter: Callable[[], float] = random.random) -> datetime | None:
    """After `attempts_made` attempts (the last failed at `failed_at`), the next one's time, or None
    when the schedule is spent. `jitter` returns a number in [0, 1)."""
    if attempts_made < 1 or attempts_made > len(SCHEDULE):
        return None
    delay = SCHEDULE[attempts_made - 1]
    return failed_at + delay * (1 + JITTER * jitter())
