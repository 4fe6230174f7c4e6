"""The change feed: the same entitled thin events a webhook carries, in the order recorded.

The cursor is the last position read: positions only grow and are committed in order (one writer),
so a reader resuming from it never skips nor repeats a change, however long it waited (within the
retention). Entitlement is the caller's, asked now for each change; a page may hold fewer items
than asked when changes are not the caller's to know, and `next_cursor` still moves past them.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.core.identity import Caller
from services.core.person_facts import PersonFactsRepository
from services.webhooks.adapters.repository import ChangeRepository
from services.webhooks.domain.catalogue import OFFER
from services.webhooks.domain.entitlement import entitled

SCAN_FACTOR = 5  # changes examined per item asked, so a page of others' changes still moves on


class ChangeFeed:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock

    def page(self, session: Session, caller: Caller, types: list[str] | None, after: int,
             limit: int) -> tuple[list[dict[str, Any]], int]:
        """The caller's changes after position `after`, and the position to resume from."""
        facts, today = PersonFactsRepository(session), self.clock().date()
        items: list[dict[str, Any]] = []
        position = after
        for change in ChangeRepository(session).after(after, types, limit * SCAN_FACTOR):
            person = facts.get(change.subject) if change.kind != OFFER else None
            if caller.is_admin or entitled(caller, change.kind, person, today):
                items.append(change.payload)
            position = change.position
            if len(items) == limit:
                break
        return items, position
