"""Partner push: `uvicorn --factory services.webhooks.app:create_app`."""
from __future__ import annotations

import os

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.scheduler import PeriodicJob
from services.core.settings import ServiceSettings
from services.webhooks.api import changes, routes
from services.webhooks.consumers import consumer_specs
from services.webhooks.domain.ssrf import parse_allowed_hosts
from services.webhooks.service.delivery import Deliverer, resolve_host
from services.webhooks.service.endpoints import EndpointService
from services.webhooks.service.feed import ChangeFeed
from services.webhooks.service.recording import ChangeRecorder

DESCRIPTION = """What changed reaches each partner entitled to it, without polling: webhook endpoints signed to the
Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature), thin CloudEvents payloads
checked against the platform's visibility rule at delivery time, retries over about three days, and a change
feed for those who prefer to pull. A partner reads the resource a payload links with a purpose, so the read
lands in the person's access log."""
DELIVERY_JOB = "webhook-deliveries"


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("webhooks")
    app = create_service_app(settings, title="Webhooks API", description=DESCRIPTION,
                             routers=[routes.router, changes.router])
    platform = app.state.platform
    # Hosts exempt from the SSRF rule (a receiver on 127.0.0.1 in the local demo and the tests): none by default.
    allowed = parse_allowed_hosts(os.environ.get("WEBHOOKS_ALLOWED_HOSTS", ""))
    recorder = ChangeRecorder(clock=utcnow)
    app.state.webhook_recorder = recorder
    app.state.webhook_endpoints = EndpointService(platform.outbox, utcnow, resolve_host, allowed)
    app.state.webhook_feed = ChangeFeed(clock=utcnow)
    deliverer = Deliverer(platform.db, platform.outbox, allowed_hosts=allowed)
    app.state.webhook_deliverer = deliverer
    platform.add_consumers(consumer_specs(recorder))
    interval = float(os.environ.get("WEBHOOKS_DELIVERY_INTERVAL_SECONDS", "1"))
    platform.add_job(PeriodicJob(DELIVERY_JOB, interval, deliverer.run))
    _declare_payloads(app)
    return app


def _declare_payloads(app) -> None:
    """The deliveries, as OpenAPI 3.1 `webhooks`: what a partner's receiver is sent and may answer."""
    generate = app.openapi

    def openapi() -> dict:
        spec = generate()
        if "webhooks" not in spec:
            spec["webhooks"] = {"change": {"post": WEBHOOK_OPERATION}}
        return spec

    app.openapi = openapi


def _header(name: str, description: str, example: str) -> dict:
    return {"name": name, "in": "header", "required": True, "description": description,
            "schema": {"type": "string", "maxLength": 1000, "example": example}}


WEBHOOK_OPERATION = {
    "operationId": "deliverChange", "tags": ["webhooks"],
    "summary": "A change your organisation may know, sent to your endpoint (Standard Webhooks)",
    "description": "Verify the signature with any Standard Webhooks library and your endpoint's secret, deduplicate "
                   "on webhook-id (the same on every retry), and drop an update whose data.sequence is lower than "
                   "one you applied for the subject. Read data.link with a purpose for the details.",
    "security": [],
    "parameters": [
        _header("webhook-id", "The delivery's id, the same on every attempt.", "msg_0193a6f2c1e87b3d9f2a4c5e6b7d8e9f"),
        _header("webhook-timestamp", "The attempt's time, in seconds since 1970 (UTC).", "1796634060"),
        _header("webhook-signature", "v1,<base64 HMAC-SHA256 of id.timestamp.body>, one per valid secret, "
                "separated by spaces.", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
    ],
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ChangeEvent"}}}},
    "responses": {
        "200": {"description": "Received (any 2xx): the delivery is done."},
        "410": {"description": "Gone: the platform disables the endpoint until you resume it."},
        "500": {"description": "Any other answer, or none within 15 s: retried after 5 s, 5 min, 30 min, 2 h, 5 h, "
                               "then every 10 h, about three days in all."},
    },
}
