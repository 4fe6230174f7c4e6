"""Topics and event types the offers service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

OFFERS = Topic("offers.offers.v1")
OFFER_PUBLISHED = EventType("offers.offer.published.v1", OFFERS)
OFFER_UPDATED = EventType("offers.offer.updated.v1", OFFERS)
OFFER_QUARANTINED = EventType("offers.offer.quarantined.v1", OFFERS)
OFFER_WITHDRAWN = EventType("offers.offer.withdrawn.v1", OFFERS)
OFFER_EXPIRED = EventType("offers.offer.expired.v1", OFFERS)
OFFER_FILLED = EventType("offers.offer.filled.v1", OFFERS)

MATCHES = Topic("offers.matches.v1")
MATCH_FOUND = EventType("offers.match.found.v1", MATCHES)

# An organisation's reads and writes of the searches saved for a person, for the person's one access log
# that the dossier keeps (the dossier alone reads this topic). Offers themselves are nobody's data.
ACCESSES = Topic("offers.accesses.v1")
ACCESS_RECORDED = EventType("offers.person.access_recorded.v1", ACCESSES)
