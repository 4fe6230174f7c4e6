"""The check that narrows "schema-valid request rejected" back: it must be able to fail."""
from __future__ import annotations

from tests.contract.beyond_schema import unannounced_refusals

SPEC = {"components": {"schemas": {
    "Address": {"type": "object", "properties": {
        "commune_code": {"type": "string", "x-checked-against": "the COG"}, "line": {"type": "string"}}},
    "Body": {"type": "object", "properties": {
        "address": {"anyOf": [{"$ref": "#/components/schemas/Address"}, {"type": "null"}]},
        "rome_codes": {"type": "array", "items": {"type": "string", "x-checked-against": "ROME"}},
        "salary": {"type": "object", "x-checked-against": "plausibility", "properties": {"min": {"type": "number"}}}}},
}}}
OPERATION = {
    "parameters": [
        {"name": "cursor", "in": "query", "schema": {"type": "string", "x-checked-against": "the list"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
        {"name": "If-Match", "in": "header", "schema": {"type": "string", "pattern": '^"[0-9]+"$'}}],
    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}},
}


def refused(*fields: str, sent: dict | None = None) -> list[str]:
    problem = {"status": 422, "errors": [{"field": field, "message": "no"} for field in fields]}
    return unannounced_refusals(SPEC, OPERATION, problem, sent or {})


def test_a_refusal_on_a_marked_field_its_items_or_an_enclosing_object_is_announced():
    assert refused("address.commune_code", "rome_codes", "rome_codes.2", "salary.min", "query.cursor") == []


def test_a_refusal_on_an_unmarked_field_or_naming_no_field_is_not():
    assert refused("address.line", "query.limit", "title") == ["address.line", "query.limit", "title"]
    assert refused() == ["(none named)"]


def test_a_header_sent_against_its_own_pattern_was_not_a_valid_request():
    assert refused("header.If-Match", sent={"header": {"If-Match": "0"}}) == []
    assert refused("header.If-Match", sent={"header": {"If-Match": '"3"'}}) == ["header.If-Match"]
