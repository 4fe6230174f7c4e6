"""How many NIR conflicts on people it may not see a client may meet before its NIR lookups pause:
each tells the caller that a NIR is registered, so an unbounded series would make the check an
oracle. Durable, in the service's database: replicas share the count and a restart keeps it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from services.core.errors import LimitReached


@dataclass(frozen=True)
class ConflictAllowance:
    # A counter meets a conflict when a person it receives is already registered elsewhere: a few
    # a day. Dozens an hour is a client walking through NIRs.
    attempts: int = 5
    window: timedelta = timedelta(hours=1)

    def check(self, recent: list[datetime], now: datetime) -> None:
        """`recent`: the client's conflicts since `now - window`, in any order."""
        if len(recent) < self.attempts:
            return
        # Another attempt is allowed once enough of them have left the window.
        frees_at = sorted(recent)[len(recent) - self.attempts] + self.window
        raise LimitReached(
            "Too many registrations of NIRs already registered from this client; the NIR check is paused for it.",
            slug="too-many-nir-conflicts", retry_after_seconds=max(1, math.ceil((frees_at - now).total_seconds())))


class NirConflicts(Protocol):
    """The conflicts each client met, kept in the service's database so every replica counts them."""

    def record(self, client_id: str, at: datetime) -> None: ...

    def since(self, client_id: str, start: datetime) -> list[datetime]: ...
