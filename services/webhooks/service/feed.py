"""The change feed: the same entitled thin events a webhook carries, in the order recorded.

The cursor is the last position read: positions only grow and are committed in order (one writer),
so a reader resuming from it never skips nor repeats a change, however long it waited (within the
retention). Entitlement is the caller's, asked now for each change: changes not the caller's to know
are passed over, window after window, until the page is full or the feed's end is reached, so a
page with fewer items than asked (an empty one included) means the caller is caught up, and
`next_cursor` is where to resume when more has happened.
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

    def end(self, session: Session) -> int:
        """The position of the last change recorded: where a reader starting from a snapshot resumes."""
        return ChangeRepository(session).last_position()

    def page(self, session: Session, caller: Caller, types: list[str] | None, after: int,
             limit: int) -> tuple[list[dict[str, Any]], int]:
        """The caller's changes after position `after`, and the position to resume from."""
        facts, today, changes = PersonFactsRepository(session), self.clock().date(), ChangeRepository(session)
        items: list[dict[str, Any]] = []
        position, window = after, limit * SCAN_FACTOR
        while True:
            scanned = changes.after(position, types, window)
            for change in scanned:
                person = facts.get(change.subject) if change.kind != OFFER else None
                if caller.is_admin or entitled(caller, change.kind, person, today):
                    items.append(change.payload)
                position = change.position
                if len(items) == limit:
                    return items, position
            if len(scanned) < window:  # the end of the feed
                return items, position
