"""The change feed passes over what the caller may not know, window after window: a page with fewer
items than asked means the caller is caught up, never that a scan window held only others' changes."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.core.db import Database
from services.core.http import decode_cursor
from services.core.identity import Caller
from services.webhooks.adapters.orm import ChangeRow
from services.webhooks.api import examples
from services.webhooks.adapters.repository import ChangeRepository
from services.webhooks.domain.catalogue import OFFER
from services.webhooks.service.feed import SCAN_FACTOR, ChangeFeed

pytestmark = pytest.mark.integration

AT = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
DEPARTEMENT = Caller("departement-44", "departement-44", "departement", ("44",), frozenset({"changes:read"}))


def change(kind: str, subject: str, event_type: str) -> ChangeRow:
    return ChangeRow(event_id=str(uuid.uuid4()), event_type=event_type, kind=kind, subject=subject, sequence=1,
                     departement_code="44", publisher=None, occurred_at=AT,
                     payload={**examples.CHANGE, "id": str(uuid.uuid4()), "type": event_type, "subject": subject})


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


def test_a_reader_starting_from_a_snapshot_takes_the_feeds_end_and_gets_only_what_follows(database_url):
    db = Database(database_url)
    try:
        with db.transaction() as session:
            ChangeRepository(session).add(change(OFFER, str(uuid.uuid4()), "offers.offer.published.v1"))
        feed = ChangeFeed(clock=lambda: AT)
        with db.reading() as session:
            end = feed.end(session)
        with db.transaction() as session:  # after the snapshot's cursor was taken
            later = str(uuid.uuid4())
            ChangeRepository(session).add(change(OFFER, later, "offers.offer.updated.v1"))
        with db.reading() as session:
            items, _ = feed.page(session, DEPARTEMENT, None, end, 10)
        assert [item["subject"] for item in items] == [later]
    finally:
        db.engine.dispose()


def test_start_now_answers_the_feeds_end_and_no_items(service, tokens, database_url):
    db = Database(database_url)

    def end() -> int:  # the service's consumer may record changes meanwhile: the answer lies between
        with db.reading() as session:
            return ChangeRepository(session).last_position()
    try:
        with db.transaction() as session:  # one change at least, which the start of the feed would give
            ChangeRepository(session).add(change(OFFER, str(uuid.uuid4()), "offers.offer.published.v1"))
        before = end()
        now = service.get("/v1/changes", params={"start": "now"}, headers=tokens.headers("departement-44"))
        after = end()
    finally:
        db.engine.dispose()
    assert now.status_code == 200, now.text
    assert now.json()["items"] == []
    assert before <= decode_cursor(now.json()["next_cursor"], int)[0] <= after
