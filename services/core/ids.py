"""Identifiers the platform mints for its own records and events."""
from __future__ import annotations

import os
import time
import uuid

_48_BITS, _62_BITS = (1 << 48) - 1, (1 << 62) - 1


def uuid7(now_ns: int | None = None) -> uuid.UUID:
    """A UUID version 7 (RFC 9562): the time in milliseconds, then 74 random bits.

    As unguessable as a version 4 where it matters (the random bits), and ids minted one after the
    other sit side by side in a B-tree index: a bulk import inserting offers and their events under
    random ids dirtied one index page per row, and a million-row index no longer fits the cache."""
    millis = (time.time_ns() if now_ns is None else now_ns) // 1_000_000
    random = int.from_bytes(os.urandom(10), "big")
    return uuid.UUID(int=(millis & _48_BITS) << 80 | 0x7 << 76 | (random >> 68) << 64 | 0b10 << 62 | random & _62_BITS)


def new_id() -> str:
    return str(uuid7())
