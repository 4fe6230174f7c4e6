"""The events of offers, as published on Kafka: what boards, counsellors and indicators learn.

Every lifecycle event carries the offer as it now stands (`offer_state`) plus the fields of the
domain event raised on the aggregate; schemas/offers.*.json hold the exact shapes and the outbox
validates against them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

from services.core.outbox import PendingEvent
from services.core.uow import EventSink
from services.offers.domain.model import Finding
from services.offers.domain.offer import (
    Offer, OfferEvent, OfferExpired, OfferFilled, OfferPublished, OfferQuarantined, OfferUpdated, OfferWithdrawn,
)
from services.offers.published import (
    OFFER_EXPIRED, OFFER_FILLED, OFFER_PUBLISHED, OFFER_QUARANTINED, OFFER_UPDATED, OFFER_WITHDRAWN,
)

EVENT_TYPES = {
    OfferPublished: OFFER_PUBLISHED, OfferQuarantined: OFFER_QUARANTINED, OfferUpdated: OFFER_UPDATED,
    OfferFilled: OFFER_FILLED, OfferWithdrawn: OFFER_WITHDRAWN, OfferExpired: OFFER_EXPIRED,
}


def publish(sink: EventSink, offers: Iterable[tuple[Offer, int]]) -> None:
    """The events raised on each (offer, how many sources carry it), emitted at once: a batch
    import raises hundreds."""
    sink.emit_all([pending for offer, sources in offers for pending in _drain(offer, sources)])


def _drain(offer: Offer, sources: int) -> list[PendingEvent]:
    if not offer.events:
        return []
    state = offer_state(offer, sources)
    pending = [PendingEvent(EVENT_TYPES[type(event)], offer.id, {**state, **_members(event)})
               for event in offer.events]
    offer.events.clear()
    return pending


def offer_state(offer: Offer, sources: int) -> dict[str, Any]:
    draft = offer.document
    place = draft.get("place")
    return {
        "offer_id": offer.id, "status": offer.status.value, "version": offer.version, "title": draft["title"],
        "employer": {"siret": draft["employer"]["siret"], "name": draft["employer"]["name"]},
        "place": {key: place[key] for key in ("commune_code", "commune_name", "departement_code", "region_code")}
        if place else None,
        "rome": {"code": draft["rome"]["code"], "label": draft["rome"]["label"]},
        "contract_type": draft.get("contract_type"), "contract_duration_months": draft.get("contract_duration_months"),
        "working_time": draft["working_time"], "weekly_hours": draft.get("weekly_hours"),
        "salary": {"min_yearly_eur": draft["salary"]["min_yearly_eur"], "max_yearly_eur": draft["salary"]["max_yearly_eur"]},
        "accessible_to_disabled": draft["accessible_to_disabled"], "positions": draft["positions"],
        "published_at": rfc3339(offer.published_at), "ends_on": draft.get("ends_on"),
        "owner_org_id": offer.owner_org_id, "sources": sources,
    }


def _members(event: OfferEvent) -> dict[str, Any]:
    """The event's own fields as JSON members: moments in RFC 3339, findings and names as lists."""
    return {item.name: _json(getattr(event, item.name)) for item in fields(event)}


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, tuple):
        return [item.to_dict() if isinstance(item, Finding) else item for item in value]
    return value


def rfc3339(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
