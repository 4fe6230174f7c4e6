"""Topics and event types the webhooks service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

# An endpoint the platform stopped delivering to (410 Gone, or a delivery given up after its whole
# retry schedule), for whoever tells the partner's technical contact; key = endpoint id.
ENDPOINTS = Topic("webhooks.endpoints.v1")
ENDPOINT_SUSPENDED = EventType("webhooks.endpoint.suspended.v1", ENDPOINTS)
