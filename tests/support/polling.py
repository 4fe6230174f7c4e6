"""Waiting for what the platform does asynchronously (events consumed, read models updated)."""
from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from sqlalchemy import create_engine, text


def url_answers(url: str, timeout: float, *, alive: Callable[[], bool] = lambda: True, probe_timeout: float = 1.0,
                interval: float = 0.2) -> bool:
    """True once `url` answers 200; False when `timeout` passes or `alive()` says the process behind it
    exited. Each caller says what failed, with the log it keeps."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(url, timeout=probe_timeout).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    return False


def eventually(read, accept, timeout: float = 60.0):
    """`read()` again until `accept` takes its answer; the last answer is in the failure."""
    deadline = time.monotonic() + timeout
    while True:
        answer = read()
        if accept(answer):
            return answer
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.3)


def table_rows(database_url: str, sql: str, params: dict, accept, timeout: float = 120.0):
    """A service's tables read again until `accept(rows)`: a new app replays every topic from offset 0,
    so a test waits on what the service stored, never on a sleep."""
    engine = create_engine(database_url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                rows = conn.execute(text(sql), params).all()
            if accept(rows):
                return rows
            assert time.monotonic() < deadline, f"never reached: {sql} {params} -> {rows}"
            time.sleep(0.3)
    finally:
        engine.dispose()
