"""An endpoint's suspensions, told on webhooks.endpoints.v1 for the partner's technical contact."""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents
from services.webhooks.domain.endpoint import Endpoint
from services.webhooks.domain.payload import rfc3339
from services.webhooks.published import ENDPOINT_SUSPENDED


def publish_suspensions(session: Session, outbox: Outbox, endpoint: Endpoint) -> None:
    events = OutboxEvents(session, outbox)
    for event in endpoint.events:
        events.emit(ENDPOINT_SUSPENDED, endpoint.id, {
            "endpoint_id": endpoint.id, "org_id": endpoint.owner.org_id, "url": endpoint.url,
            "state": event.state.value, "reason": event.reason.value, "technical_contact": endpoint.technical_contact,
            "suspended_at": rfc3339(event.at)})
    endpoint.events.clear()
