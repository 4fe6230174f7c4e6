"""Schema compatibility rules on small pairs: narrowing breaks, widening does not."""
from __future__ import annotations

import pytest

from services.core.schema_compat import breaking_changes, breaking_files

PERSON = {
    "type": "object", "required": ["person_id"], "additionalProperties": False,
    "properties": {
        "person_id": {"type": "string", "format": "uuid"},
        "age": {"type": "integer", "minimum": 16, "maximum": 70},
        "score": {"type": "number"},
        "status": {"enum": ["registered", "pre_registered"]},
        "sex": {"type": ["string", "null"]},
        "skills": {"type": "array", "items": {"type": "string", "maxLength": 50}},
        "situation": {"type": "object", "properties": {"rqth": {"type": "boolean"}}},
        "place": {"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^[0-9]{5}$"}]},
    },
}


def changed(**edits) -> dict:
    """PERSON with some properties replaced (None removes one), or top-level keywords set."""
    properties = {**PERSON["properties"], **edits.pop("properties", {})}
    return {**PERSON, **edits, "properties": {k: v for k, v in properties.items() if v is not None}}


@pytest.mark.parametrize("new, expected", [
    (changed(required=["person_id", "age"]), "/required: age added"),
    (changed(properties={"age": None}), "/properties/age: removed, and no longer accepted as an additional property"),
    (changed(properties={"sex": {"type": "string"}}), "/properties/sex/type: null no longer accepted"),
    (changed(properties={"score": {"type": "integer"}}), "/properties/score/type: number no longer accepted"),
    (changed(properties={"status": {"enum": ["registered"]}}), '/properties/status/enum: "pre_registered" removed'),
    (changed(properties={"score": {"type": "number", "enum": [1, 2]}}), "/properties/score/enum: added"),
    (changed(properties={"sex": {"type": ["string", "null"], "const": "F"}}), "/properties/sex/const: added"),
    (changed(properties={"person_id": {"type": "string", "format": "date"}}), "/properties/person_id/format: changed"),
    (changed(properties={"sex": {"type": ["string", "null"], "format": "uuid"}}), "/properties/sex/format: added"),
    (changed(properties={"sex": {"type": ["string", "null"], "pattern": "^[FM]$"}}), "/properties/sex/pattern: added"),
    (changed(properties={"age": {"type": "integer", "minimum": 18, "maximum": 70}}),
     "/properties/age/minimum: tightened from 16 to 18"),
    (changed(properties={"age": {"type": "integer", "minimum": 16, "maximum": 65}}),
     "/properties/age/maximum: tightened from 70 to 65"),
    (changed(properties={"skills": {"type": "array", "items": {"type": "string", "maxLength": 50}, "minItems": 1}}),
     "/properties/skills/minItems: added"),
    (changed(properties={"skills": {"type": "array", "items": {"type": "string", "maxLength": 40}}}),
     "/properties/skills/items/maxLength: tightened from 50 to 40"),
    (changed(properties={"situation": {"type": "object", "properties": {"rqth": {"type": "boolean"}},
                                       "additionalProperties": False}}),
     "/properties/situation/additionalProperties: now refuses everything"),
    (changed(properties={"place": {"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^[0-9]{4}$"}]}}),
     "/properties/place/oneOf/1: no longer accepted by any alternative"),
    (changed(properties={"place": {"oneOf": [{"type": "null"}]}}),
     "/properties/place/oneOf/1: no longer accepted by any alternative"),
    (changed(properties={"score": {"type": "number", "dependentRequired": {"a": ["b"]}}}),
     "/properties/score/dependentRequired: added"),
])
def test_a_narrowing_breaks(new, expected):
    assert expected in breaking_changes(PERSON, new)


@pytest.mark.parametrize("new", [
    PERSON,
    changed(required=[]),
    changed(properties={"nickname": {"type": "string"}}),
    changed(additionalProperties=True),
    {**changed(properties={"age": None}), "additionalProperties": {"type": "integer"}},
    changed(properties={"score": {"type": ["number", "null"]}}),
    changed(properties={"age": {"type": "number", "minimum": 16, "maximum": 70}}),
    changed(properties={"status": {"enum": ["registered", "pre_registered", "deleted"]}}),
    changed(properties={"person_id": {"type": "string"}}),
    changed(properties={"age": {"type": "integer", "minimum": 15}}),
    changed(properties={"skills": {"type": "array", "items": {"type": "string"}}}),
    changed(properties={"situation": {"type": "object", "properties": {"rqth": {"type": "boolean"},
                                                                       "household": {"type": "object"}}}}),
    changed(properties={"place": {"oneOf": [{"type": "string", "pattern": "^[0-9]{5}$"}, {"type": "null"},
                                            {"type": "integer"}]}}),
    changed(properties={"sex": {"type": ["string", "null"], "description": "As declared."}}, title="A person"),
])
def test_a_widening_or_an_annotation_does_not_break(new):
    assert breaking_changes(PERSON, new) == []


def test_a_property_added_where_others_were_refused_may_be_constrained():
    """Events under the old schema never carried it, so no old event fails on it."""
    assert breaking_changes(PERSON, changed(properties={"nickname": {"type": "string", "maxLength": 3}})) == []


def test_a_definition_removed_breaks_the_schemas_that_reference_it():
    old = {"$defs": {"person": {"type": "object"}, "place": {"type": "string"}}, "$ref": "#/$defs/person"}
    new = {"$defs": {"person": {"type": "object"}}, "$ref": "#/$defs/person"}
    assert breaking_changes(old, new) == ["/$defs/place: removed"]


def test_a_new_constraint_in_all_of_breaks_a_removed_one_does_not():
    old = {"allOf": [{"required": ["a"]}, {"required": ["b"]}]}
    assert breaking_changes(old, {"allOf": [{"required": ["a"]}, {"required": ["c"]}]}) == [
        "/allOf/1: a new constraint"]
    assert breaking_changes(old, {"allOf": [{"required": ["b"]}]}) == []


def test_a_schema_file_removed_breaks_a_file_added_does_not():
    old = {"a.v1.json": PERSON, "b.v1.json": PERSON}
    assert breaking_files(old, {"a.v1.json": PERSON, "c.v1.json": {}}) == [
        "b.v1.json: removed (a new major version is a new file)"]
    assert breaking_files(old, {"a.v1.json": changed(required=["person_id", "age"]), "b.v1.json": PERSON}) == [
        "a.v1.json#/required: age added"]
