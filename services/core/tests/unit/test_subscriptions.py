"""A consumer's handler keys must be declared by the event contract, or the service refuses to start."""
from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from services.core.broker import declared_channels
from services.core.events import EventType, SchemaRegistry, Topic
from services.core.settings import REPO_ROOT
from services.core.subscriptions import UndeclaredSubscription, check_subscriptions

THINGS = Topic("test.things.v1")
CLOSED = EventType("test.thing.closed.v1", THINGS)
CONTRACT = {
    "asyncapi": "3.0.0",
    "channels": {
        "things": {"address": THINGS.address, "messages": {"closed": {"$ref": "#/components/messages/closed"}}},
        "thingsDlq": {"address": THINGS.address + ".dlq",
                      "messages": {"deadLetter": {"$ref": "#/components/messages/deadLetter"}}},
    },
    "components": {"messages": {
        "closed": {"name": CLOSED.name, "payload": {"$ref": f"./{CLOSED.schema_file}"}},
        "deadLetter": {"name": "dead-letter"},
    }},
}


def schema(name: str) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://api.france-travail.local/schemas/{name}.json", "type": "object"}


@pytest.fixture
def contract(tmp_path):
    shutil.copy(REPO_ROOT / "schemas" / "cloudevents.envelope.json", tmp_path)
    for name in (CLOSED.name, "test.thing.opened.v1", "test.gadget.closed.v1"):
        (tmp_path / f"{name}.json").write_text(json.dumps(schema(name)))
    (tmp_path / "asyncapi.yaml").write_text(yaml.safe_dump(CONTRACT))
    return SchemaRegistry(tmp_path), declared_channels(tmp_path / "asyncapi.yaml")


def test_a_declared_handler_key_passes(contract):
    check_subscriptions([CLOSED], *contract)


@pytest.mark.parametrize("event_type, reason", [
    (EventType("test.thing.reopened.v1", THINGS), "no schema test.thing.reopened.v1.json"),
    (EventType("test.gadget.closed.v1", Topic("test.gadgets.v1")), "topic test.gadgets.v1 is not a channel"),
    (EventType("test.thing.opened.v1", THINGS), "declares no such message on test.things.v1"),
    (EventType(CLOSED.name, Topic(THINGS.address + ".dlq")), "declares no such message on test.things.v1.dlq"),
])
def test_an_undeclared_handler_key_refuses_to_start_naming_it(contract, event_type, reason):
    with pytest.raises(UndeclaredSubscription, match=f"handler for {re.escape(event_type.name)}: .*{re.escape(reason)}"):
        check_subscriptions([CLOSED, event_type], *contract)
