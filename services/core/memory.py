"""An idle process gives back to the system the memory it freed (issue 10: each idle process within
150 MB of resident memory).

glibc's malloc keeps what a process frees for its next allocations. Two of its habits kept a service's
resident memory at its peak long after a burst of work (docs/performance.md, "Idle memory"):
- one arena per thread that ever allocated at the same time as another, up to 8 per core: a service
  has consumer, relay, job, search-index and libuv threads, and each arena keeps its own free pages;
- free pages inside a heap are returned only when they sit at its top, so one live object above a
  burst's garbage pins all of it.

And a component may hold memory that is only worth keeping while it works: SQLite's page cache (up
to 32 MiB a pooled connection, services/core/db.py), a search index's writer.

So every process limits malloc to two arenas (a Python process runs one thread at a time but for
native code; Heroku and others set MALLOC_ARENA_MAX=2 for this reason), and a daemon thread, each time
a window passes in which the process barely used the CPU, asks the components registered with
`when_idle` to let go of what they keep, then asks malloc to return its free pages (`malloc_trim`,
which also releases the middle of a heap). Under load nothing is released: it would only be built
again. Elsewhere than glibc (musl, macOS) nothing of this runs: no limit, no thread, no release.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger("core.memory")

M_ARENA_MAX = -8  # glibc's malloc.h
ARENAS = 2
WINDOW_SECONDS = 5.0
IDLE_CPU_SHARE = 0.1  # below a tenth of a core over the window, the process is idle

_started = threading.Lock()
_thread: threading.Thread | None = None


class ReleasesWhenIdle(Protocol):
    def release_idle_memory(self) -> None:
        """Drops what can be built again on the next use; called from another thread."""


# Weakly held: a test process creates and drops many databases, and this must not keep them.
_idle_releasers: weakref.WeakSet[ReleasesWhenIdle] = weakref.WeakSet()


def when_idle(component: ReleasesWhenIdle) -> None:
    """`component.release_idle_memory()` runs after each idle window, as long as the component lives."""
    _idle_releasers.add(component)


@functools.cache  # find_library may run ldconfig: once per process
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def release_free_memory() -> bool:
    """Returns malloc's free pages to the system now; True when some were."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))


def release_idle_memory() -> None:
    """What the process does after an idle window: components first, so malloc returns their pages too."""
    for component in list(_idle_releasers):
        try:
            component.release_idle_memory()
        except Exception:  # one component's failure must not keep the others' memory
            log.exception("%s could not release its memory", type(component).__name__)
    release_free_memory()


class IdleRelease:
    """Decides, window after window, whether the process was idle: `cpu` is the process's CPU seconds
    so far (time.process_time), `release` what to do when it was."""

    def __init__(self, cpu: Callable[[], float], release: Callable[[], object],
                 window_seconds: float = WINDOW_SECONDS) -> None:
        self._cpu, self._release, self._window = cpu, release, window_seconds
        self._last = cpu()

    def tick(self) -> bool:
        """At the end of a window: releases if the window was idle. True when it released."""
        now = self._cpu()
        used, self._last = now - self._last, now
        if used >= IDLE_CPU_SHARE * self._window:
            return False
        self._release()
        return True


def release_memory_when_idle() -> None:
    """Once per process (apps are created many times in a test process): limits malloc's arenas and
    starts the daemon thread that releases free memory after each idle window."""
    global _thread
    libc = _glibc()
    if libc is None:
        return
    with _started:
        if _thread is not None:
            return
        libc.mallopt(M_ARENA_MAX, ARENAS)
        idle = IdleRelease(time.process_time, release_idle_memory)
        _thread = threading.Thread(target=_every_window, args=(idle,), name="memory-release", daemon=True)
        _thread.start()


def _every_window(idle: IdleRelease) -> None:
    while True:
        time.sleep(WINDOW_SECONDS)
        try:
            idle.tick()
        except Exception:  # never let a failed release end the thread silently
            log.exception("releasing free memory failed")
