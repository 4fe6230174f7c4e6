"""Waiting for what the platform does asynchronously (events consumed, read models updated)."""
from __future__ import annotations

import time

from sqlalchemy import create_engine, text


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
