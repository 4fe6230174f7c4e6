"""The tests' events match their schemas, and the consumer subscribes to every partner-facing type."""
from __future__ import annotations

from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.webhooks.consumers import CHANGES
from services.webhooks.domain.catalogue import PARTNER_EVENT_TYPES
from services.webhooks.tests.builders import diagnosed, oriented, registered

PERSON = "5b0d6c1e-2f4a-4c8e-9d3b-7a1e2f3c4d5e"


def test_builders_follow_the_schemas():
    schemas = SchemaRegistry(REPO_ROOT / "schemas")
    for envelope in (registered(PERSON), oriented(PERSON), diagnosed(PERSON)):
        schemas.validate(envelope.to_dict())


def test_the_consumer_reads_exactly_the_catalogue():
    assert {event_type.name for event_type in CHANGES} == PARTNER_EVENT_TYPES
