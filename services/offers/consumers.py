"""Kafka events → commands: the service's own `published` events drive saved-search matching."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core.app import ConsumerSpec
from services.core.events import Envelope
from services.offers.published import OFFER_PUBLISHED
from services.offers.service.subscriptions import Subscriptions


def consumer_specs(subscriptions: Subscriptions) -> list[ConsumerSpec]:
    def on_published(session: Session, event: Envelope) -> None:
        place = event.data.get("place") or {}
        subscriptions.on_published(session, event.data["offer_id"], event.data["rome"]["code"],
                                   place.get("departement_code"))

    return [ConsumerSpec(name="offers.matching", handlers={OFFER_PUBLISHED: on_published})]
