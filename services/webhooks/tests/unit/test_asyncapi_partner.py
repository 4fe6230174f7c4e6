"""schemas/asyncapi.yaml says which event types partners receive and what each carries: its partner channel
holds a message per type of the catalogue (and the test event), and what the service builds matches it."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from services.core.broker import ASYNCAPI, declared_channels
from services.webhooks.domain.catalogue import CATALOGUE, TEST_EVENT_TYPE
from services.webhooks.domain import payload

SPEC = yaml.safe_load(ASYNCAPI.read_text())
REGISTRY = Registry().with_resource("urn:asyncapi", Resource.from_contents(SPEC, default_specification=DRAFT202012))
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
OFFER = {"offer_id": "o-1", "title": "Soudeur H/F", "rome_code": "H2913"}


def partner_messages() -> dict[str, str]:
    """Each partner-facing event type with the key of its message on the partner channel."""
    refs = SPEC["channels"]["partnerDeliveries"]["messages"].values()
    keys = [ref["$ref"].rsplit("/", 1)[-1] for ref in refs]
    return {SPEC["components"]["messages"][key]["title"]: key for key in keys}


def errors(event: dict, key: str) -> list[str]:
    validator = Draft202012Validator({"$ref": f"urn:asyncapi#/components/messages/{key}/payload"}, registry=REGISTRY)
    return [error.message for error in validator.iter_errors(event)]


def test_the_partner_channel_declares_every_type_of_the_catalogue_and_is_no_topic():
    assert set(partner_messages()) == set(CATALOGUE) | {TEST_EVENT_TYPE}
    assert None not in declared_channels()


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_what_a_partner_receives_matches_its_message_and_only_offers_carry_the_offer(event_type):
    kind = CATALOGUE[event_type]
    event = payload.thin_event("msg_1", kind, "s-1", 3, NOW, OFFER)
    key = partner_messages()[event_type]
    assert errors(event, key) == []
    if not kind.carries_offer:
        assert errors({**event, "data": {**event["data"], "offer": OFFER}}, key) != []
    other = next(name for name in CATALOGUE if name != event_type)
    assert errors({**event, "type": other}, key) != []


def test_the_test_event_matches_its_message():
    assert errors(payload.test_event("msg_2", "e-1", NOW), partner_messages()[TEST_EVENT_TYPE]) == []
