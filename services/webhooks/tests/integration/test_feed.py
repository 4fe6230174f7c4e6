"""The change feed passes over what the caller may not know, window after window: a page with fewer
items than asked means the caller is caught up, never that a scan window held only others' changes."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.core.db import Database
from services.core.identity import Caller
from services.webhooks.adapters.orm import ChangeRow
from services.webhooks.adapters.repository import ChangeRepository
from services.webhooks.domain.catalogue import OFFER
from services.webhooks.service.feed import SCAN_FACTOR, ChangeFeed

pytestmark = pytest.mark.integration

AT = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
DEPARTEMENT = Caller("departement-44", "departement-44", "departement", ("44",), frozenset({"changes:read"}))


def change(kind: str, subject: str, event_type: str) -> ChangeRow:
    return ChangeRow(event_id=str(uuid.uuid4()), event_type=event_type, kind=kind, subject=subject, sequence=1,
                     departement_code="44", publisher=None, occurred_at=AT,
                     payload={"type": event_type, "subject": subject})


def test_a_page_reaches_past_a_long_run_of_changes_the_caller_may_not_know(database_url):
    db, limit = Database(database_url), 2
    try:
        with db.transaction() as session:
            changes = ChangeRepository(session)
            for _ in range(3 * limit * SCAN_FACTOR):  # people nobody told this service about: nobody's to know
                changes.add(change("registration", str(uuid.uuid4()), "registration.person.registered.v2"))
            offer = str(uuid.uuid4())
            changes.add(change(OFFER, offer, "offers.offer.published.v1"))
        feed = ChangeFeed(clock=lambda: AT)
        with db.reading() as session:
            items, position = feed.page(session, DEPARTEMENT, None, 0, limit)
            assert [item["subject"] for item in items] == [offer]  # fewer than asked: caught up
            assert feed.page(session, DEPARTEMENT, None, position, limit) == ([], position)
    finally:
        db.engine.dispose()
