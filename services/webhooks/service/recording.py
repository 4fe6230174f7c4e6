"""Kafka events -> changes and deliveries: each partner-facing event becomes one change (the feed's
row, with the subject's next sequence number) and one delivery per endpoint that subscribes to its
type, passes its filter and is entitled to it now, all in the consuming transaction: a delivery is
recorded before anything is attempted, and survives any restart.

Entitlement is asked again at each attempt and feed read (`delivery`, `feed`): this first check only
keeps the table from holding rows for organisations that could never receive them. A person the
service has no registration for yet (topics interleave: a decision may be read before the
registration) gets a delivery for every subscribed endpoint, judged when its facts have arrived.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from services.core.events import Envelope
from services.core.ids import new_id
from services.core.person_facts import PersonFactsRepository
from services.webhooks.adapters.orm import ChangeRow, DeliveryRow
from services.webhooks.adapters.repository import PENDING, ChangeRepository, DeliveryRepository, EndpointRepository
from services.webhooks.domain.catalogue import CATALOGUE
from services.webhooks.domain.entitlement import entitled
from services.webhooks.domain.payload import thin_event


def message_id() -> str:
    """A delivery's `webhook-id`, the same on every attempt."""
    return "msg_" + new_id().replace("-", "")


class ChangeRecorder:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock

    def on_event(self, session: Session, envelope: Envelope) -> None:
        event_type = CATALOGUE.get(envelope.type)
        changes = ChangeRepository(session)
        if event_type is None or changes.known(envelope.id):
            return  # the change is recorded once even if a replay comes under another consumer name
        subject = envelope.data[event_type.subject_field]
        facts = PersonFactsRepository(session).get(subject) if event_type.about_person else None
        if event_type.about_person:
            departement, publisher = (facts.departement_code if facts else None), None
        else:
            departement = (envelope.data.get("place") or {}).get("departement_code")
            publisher = envelope.data.get("owner_org_id")
        sequence = changes.next_sequence(subject)
        change = changes.add(ChangeRow(
            event_id=envelope.id, event_type=event_type.name, kind=event_type.kind, subject=subject, sequence=sequence,
            departement_code=departement, publisher=publisher, occurred_at=envelope.time,
            payload=thin_event(envelope.id, event_type, subject, sequence, envelope.time, envelope.data)))
        now = self.clock()
        deliveries = DeliveryRepository(session)
        for endpoint in EndpointRepository(session).subscribed_to(event_type.name):
            if (event_type.about_person and facts is None) or (endpoint.wants(event_type.name, departement, publisher)
                                                               and entitled(endpoint.owner, event_type.kind, facts,
                                                                            now.date())):
                deliveries.add(delivery_of(change, endpoint.id, now))


def delivery_of(change: ChangeRow, endpoint_id: str, now: datetime, replay_of: str | None = None) -> DeliveryRow:
    return DeliveryRow(id=message_id(), endpoint_id=endpoint_id, change_position=change.position,
                       event_type=change.event_type, kind=change.kind, subject=change.subject, status=PENDING,
                       attempts=0, next_attempt_at=now, created_at=now, replay_of=replay_of, payload=change.payload)
