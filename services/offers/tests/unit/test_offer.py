"""The Offer aggregate: its statuses, the transitions between them and the events each one raises,
turned into the published events on the fake sink (checked against schemas/ as the outbox would)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.core.errors import InvalidTransition
from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.offers.domain.model import Finding
from services.offers.domain.offer import (
    Offer, OfferExpired, OfferFilled, OfferPublished, OfferQuarantined, OfferStatus, OfferUpdated, OfferWithdrawn,
)
from services.offers.published import OFFER_FILLED, OFFER_PUBLISHED, OFFER_QUARANTINED, OFFER_UPDATED
from services.offers.service.events import publish
from services.offers.tests.unit.builders import draft

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
WARNING = Finding("age_suggestion", "warning", "description", "jeune", "Suggests an age.", "Code du travail, art. L1132-1")
BLOCKING = Finding("age_limit", "blocking", "title", "moins de 25 ans", "An age limit.", "Code du travail, art. L1132-1")


def new_offer(*findings: Finding) -> Offer:
    return Offer.new("0190a3c2-7d7e-7000-8000-000000000001", "boulangerie-nantaise", draft().to_dict(), findings,
                     MONDAY)


def test_a_clean_offer_is_published_with_its_warnings():
    offer = new_offer(WARNING)
    assert (offer.status, offer.version, offer.published_at) == (OfferStatus.PUBLISHED, 1, MONDAY)
    assert offer.events == [OfferPublished((WARNING,))]


def test_a_blocking_finding_quarantines_the_offer_unpublished():
    offer = new_offer(WARNING, BLOCKING)
    assert (offer.status, offer.published_at) == (OfferStatus.QUARANTINED, None)
    assert offer.events == [OfferQuarantined((WARNING, BLOCKING))]


def test_filling_closes_a_published_offer_and_measures_its_time_to_fill():
    offer = new_offer()
    offer.events.clear()
    offer.fill(MONDAY + timedelta(days=3, hours=12))
    assert (offer.status, offer.version, offer.closed_at) == (OfferStatus.FILLED, 2, MONDAY + timedelta(days=3.5))
    assert offer.events == [OfferFilled(MONDAY + timedelta(days=3.5), 3.5)]


@pytest.mark.parametrize("close", [
    lambda offer: offer.fill(MONDAY), lambda offer: offer.expire(MONDAY),
])
def test_a_quarantined_offer_is_neither_filled_nor_expired(close):
    offer = new_offer(BLOCKING)
    with pytest.raises(InvalidTransition):
        close(offer)
    assert (offer.status, offer.version) == (OfferStatus.QUARANTINED, 1)


def test_a_quarantined_offer_may_be_withdrawn():
    offer = new_offer(BLOCKING)
    offer.withdraw("Poste supprimé.", MONDAY)
    assert offer.status is OfferStatus.WITHDRAWN and offer.events[-1] == OfferWithdrawn(MONDAY, "Poste supprimé.")


@pytest.mark.parametrize("change", [
    lambda offer: offer.fill(MONDAY), lambda offer: offer.withdraw(None, MONDAY), lambda offer: offer.expire(MONDAY),
    lambda offer: offer.enrich(offer.document, ["weekly_hours"], MONDAY),
    lambda offer: offer.recheck(offer.document, [], ["title"], MONDAY),
])
def test_a_closed_offer_changes_no_more(change):
    offer = new_offer()
    offer.expire(MONDAY)
    assert offer.events[-1] == OfferExpired(MONDAY)
    with pytest.raises(InvalidTransition, match="expired"):
        change(offer)
    assert (offer.status, offer.version) == (OfferStatus.EXPIRED, 2)


def test_a_recheck_leaving_quarantine_publishes_the_offer_then():
    offer = new_offer(BLOCKING)
    offer.events.clear()
    later = MONDAY + timedelta(hours=2)
    offer.recheck({**offer.document, "title": "Boulanger (H/F)"}, [WARNING], ["title"], later)
    assert (offer.status, offer.version, offer.published_at) == (OfferStatus.PUBLISHED, 2, later)
    assert offer.events == [OfferPublished((WARNING,))]


def test_a_recheck_of_a_published_offer_says_what_changed_and_nothing_when_nothing_did():
    offer = new_offer()
    offer.events.clear()
    offer.recheck(offer.document, [], ["weekly_hours"], MONDAY)
    offer.recheck(offer.document, [], [], MONDAY)
    assert offer.events == [OfferUpdated(("weekly_hours",))] and offer.version == 3
    assert offer.published_at == MONDAY


def test_events_carry_the_offer_as_it_stands_plus_their_own_fields():
    published, quarantined = new_offer(WARNING), new_offer(BLOCKING)
    sink = RecordedEvents(SCHEMAS)
    publish(sink, [(published, 2), (quarantined, 1)])
    published.enrich(published.document, ["salary"], MONDAY)
    published.fill(MONDAY + timedelta(days=1))
    publish(sink, [(published, 2)])
    assert [event.event_type for event in sink.emitted] == [OFFER_PUBLISHED, OFFER_QUARANTINED, OFFER_UPDATED,
                                                            OFFER_FILLED]
    first, _, updated, filled = (event.data for event in sink.emitted)
    assert (first["status"], first["version"], first["sources"]) == ("published", 1, 2)
    assert first["warnings"] == [WARNING.to_dict()] and first["published_at"] == "2026-11-23T09:00:00Z"
    assert sink.of_type(OFFER_QUARANTINED)[0].data["findings"] == [BLOCKING.to_dict()]
    assert updated["changed"] == ["salary"] and (updated["status"], updated["version"]) == ("filled", 3)
    assert (filled["filled_at"], filled["time_to_fill_days"]) == ("2026-11-24T09:00:00Z", 1.0)
    assert published.events == [] and quarantined.events == []  # each event is emitted once
