"""Event validation: the native validator and the reference one agree, formats constrain strings only."""
from __future__ import annotations

import json
import shutil

import pytest

from services.core.events import Envelope, InvalidEvent, SchemaRegistry
from services.core.settings import REPO_ROOT

CLOSING = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://api.france-travail.local/schemas/test.thing.closed.v1.json",
    "type": "object", "required": ["closed_at"], "additionalProperties": False,
    "properties": {"closed_at": {"type": ["string", "null"], "format": "date-time"}},
}


@pytest.fixture
def registry(tmp_path):
    shutil.copy(REPO_ROOT / "schemas" / "cloudevents.envelope.json", tmp_path)
    (tmp_path / "test.thing.closed.v1.json").write_text(json.dumps(CLOSING))
    return SchemaRegistry(tmp_path)


def event(closed_at) -> dict:
    return Envelope("test.thing.closed.v1", "test", "thing-1", {"closed_at": closed_at}).to_dict()


@pytest.mark.parametrize("closed_at", ["2026-11-23T09:30:00Z", "2026-11-23T09:30:00+01:00", None])
def test_a_valid_event_passes(registry, closed_at):
    registry.validate(event(closed_at))


@pytest.mark.parametrize("closed_at, message", [
    ("2026-11-23", "is not a 'date-time'"), ("yesterday", "is not a 'date-time'"), (3, "is not of type"),
])
def test_an_invalid_event_is_refused_with_the_reference_message(registry, closed_at, message):
    with pytest.raises(InvalidEvent, match=message):
        registry.validate(event(closed_at))


def test_an_unknown_field_is_refused(registry):
    body = event(None)
    body["data"]["extra"] = 1
    with pytest.raises(InvalidEvent, match="Additional properties"):
        registry.validate(body)
