"""Periodic jobs inside a service (deadline fallbacks, reminders): one daemon thread per job.

A job is a plain function of the current time, so tests call it directly with a chosen clock;
here it runs every `interval` seconds until the app stops. Jobs must be idempotent (each replica
of a service runs them; a PostgreSQL advisory lock or a row claim keeps their effects single).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.core.db import utcnow

log = logging.getLogger("core.scheduler")


@dataclass
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[datetime], None]
    clock: Callable[[], datetime] = utcnow

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"job-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            try:
                self.run(self.clock())
            except Exception:  # the job runs again at the next tick; a failure must be visible
                log.exception("periodic job %s failed", self.name)
