"""The events of offers, as published on Kafka: what boards, counsellors and indicators learn.

Every lifecycle event carries the offer as it now stands (`offer_state`) plus what is proper to the
event; schemas/offers.*.json hold the exact shapes and the outbox validates against them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.core.outbox import Outbox, PendingEvent
from services.offers.adapters.orm import OfferRow
from services.offers.domain.model import Finding

OFFERS_TOPIC = "offers.offers.v1"
MATCHES_TOPIC = "offers.matches.v1"
PUBLISHED, UPDATED, QUARANTINED = "offers.offer.published.v1", "offers.offer.updated.v1", "offers.offer.quarantined.v1"
FILLED, WITHDRAWN, EXPIRED = "offers.offer.filled.v1", "offers.offer.withdrawn.v1", "offers.offer.expired.v1"
MATCH_FOUND = "offers.match.found.v1"


def offer_state(row: OfferRow | OfferValues, sources: int) -> dict[str, Any]:
    draft = row.draft
    place = draft.get("place")
    return {
        "offer_id": row.id, "status": row.status, "version": row.version, "title": draft["title"],
        "employer": {"siret": draft["employer"]["siret"], "name": draft["employer"]["name"]},
        "place": {key: place[key] for key in ("commune_code", "commune_name", "departement_code", "region_code")}
        if place else None,
        "rome": {"code": draft["rome"]["code"], "label": draft["rome"]["label"]},
        "contract_type": draft.get("contract_type"), "contract_duration_months": draft.get("contract_duration_months"),
        "working_time": draft["working_time"], "weekly_hours": draft.get("weekly_hours"),
        "salary": {"min_yearly_eur": draft["salary"]["min_yearly_eur"], "max_yearly_eur": draft["salary"]["max_yearly_eur"]},
        "accessible_to_disabled": draft["accessible_to_disabled"], "positions": draft["positions"],
        "published_at": rfc3339(row.published_at), "ends_on": draft.get("ends_on"),
        "owner_org_id": row.owner_org_id, "sources": sources,
    }


class OfferValues:
    """A canonical offer's columns as plain attributes: what events read of an offer just inserted
    in bulk (building ORM instances for them cost more than the events themselves)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def finding_data(finding: Finding) -> dict[str, Any]:
    return finding.to_dict()


def state_event(event_type: str, row: OfferRow | OfferValues, sources: int, **extra: Any) -> PendingEvent:
    return PendingEvent(OFFERS_TOPIC, event_type, row.id, {**offer_state(row, sources), **extra})


def checked_event(row: OfferRow | OfferValues, sources: int, findings: list[Finding]) -> PendingEvent:
    """What the legality check leads to: quarantined with its findings, or published with its warnings."""
    if row.status == "quarantined":
        return state_event(QUARANTINED, row, sources, findings=[finding_data(f) for f in findings])
    return state_event(PUBLISHED, row, sources, warnings=[finding_data(f) for f in findings])


class OfferEvents:
    """Adds offer events to the unit of work's outbox (published after commit)."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def emit(self, session: Session, event_type: str, row: OfferRow, sources: int, **extra: Any) -> None:
        self.outbox.add_events(session, [state_event(event_type, row, sources, **extra)])

    def checked(self, session: Session, offers: list[tuple[OfferRow | OfferValues, int, list[Finding]]]) -> None:
        """(offer, sources, findings) checked for legality: each one published or quarantined."""
        self.outbox.add_events(session, [checked_event(row, sources, findings) for row, sources, findings in offers])

    def updated(self, session: Session, offers: list[tuple[OfferRow, int, list[str]]]) -> None:
        """(offer, sources, names of the fields that changed) updated in place."""
        self.outbox.add_events(session, [state_event(UPDATED, row, sources, changed=changed)
                                         for row, sources, changed in offers])

    def match(self, session: Session, person_id: str, data: dict[str, Any]) -> None:
        self.outbox.add_event(session, MATCHES_TOPIC, MATCH_FOUND, person_id, data)


def rfc3339(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
