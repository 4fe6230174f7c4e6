"""Waiting for what the platform does asynchronously (events consumed, read models updated)."""
from __future__ import annotations

import time


def eventually(read, accept, timeout: float = 60.0):
    """`read()` again until `accept` takes its answer; the last answer is in the failure."""
    deadline = time.monotonic() + timeout
    while True:
        answer = read()
        if accept(answer):
            return answer
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.3)
