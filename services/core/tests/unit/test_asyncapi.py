"""schemas/asyncapi.yaml is the whole event contract: every topic with its `.dlq` twin, every event
type of schemas/ on a channel, every message on a schema that exists."""
from __future__ import annotations

from collections.abc import Iterator

import yaml

from services.core.broker import ASYNCAPI, DLQ_SUFFIX, declared_channels, declared_topics
from services.core.events import ENVELOPE_SCHEMA
from services.core.settings import REPO_ROOT

SCHEMAS = REPO_ROOT / "schemas"
SPEC = yaml.safe_load(ASYNCAPI.read_text())


def file_refs(node) -> Iterator[str]:
    """The schema files a part of the document points to ('./x.json')."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and not value.startswith("#"):
                yield value.removeprefix("./")
            else:
                yield from file_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from file_refs(item)


def test_every_channel_has_its_dlq_twin_and_every_twin_its_topic():
    addresses = set(declared_channels())
    topics = set(declared_topics())
    assert {topic + DLQ_SUFFIX for topic in topics} | topics == addresses


def test_every_event_type_of_schemas_is_a_message_of_a_topic():
    event_types = {path.name.removesuffix(".json") for path in SCHEMAS.glob("*.json")} - {"cloudevents.envelope"}
    on_topics = set().union(*(declared_channels()[topic] for topic in declared_topics()))
    assert event_types == on_topics


def test_every_message_references_schemas_that_exist():
    for key, message in SPEC["components"]["messages"].items():
        missing = [ref for ref in file_refs(message) if not (SCHEMAS / ref).is_file()]
        assert not missing, f"{key} references missing schemas {missing}"


def test_an_event_message_is_its_schema_inside_the_envelope():
    for topic in declared_topics():
        for name in declared_channels()[topic]:
            message = next(m for m in SPEC["components"]["messages"].values() if m["name"] == name)
            assert sorted(file_refs(message["payload"])) == sorted([ENVELOPE_SCHEMA, f"{name}.json"]), name
