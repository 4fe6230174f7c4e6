"""Which refusals of a schema-valid request the contract announces.

A schema cannot list the INSEE codes that exist, the cursors a list minted or the dates still ahead,
so a schema-valid request may rightly get a 422. The contract says where: such a field carries
`x-checked-against` (services/core/codes.py). Schemathesis' "schema-valid request rejected" check is
therefore run with 422 allowed, and this check narrows it back: a 422 to a schema-valid request must
name its fields, and each must be one the contract marks (itself, an enclosing object or its items).
"""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from schemathesis import check

from services.core.codes import CHECKED_AGAINST

PARAMETER_PLACES = {"query", "header", "path", "cookie"}
COMBINATORS = ("anyOf", "oneOf", "allOf")


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:  # local references only: the contracts are self-contained
        node: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def marks(spec: dict[str, Any], schema: dict[str, Any], path: list[str]) -> bool:
    """Whether the field at `path` inside `schema` is announced as checked beyond its schema."""
    node = resolve(spec, schema)
    if CHECKED_AGAINST in node:
        return True
    if any(marks(spec, branch, path) for key in COMBINATORS for branch in node.get(key, [])):
        return True
    if not path:
        return "items" in node and marks(spec, node["items"], [])
    head, rest = path[0], path[1:]
    if head in node.get("properties", {}):
        return marks(spec, node["properties"][head], rest)
    if head.isdigit() and "items" in node:
        return marks(spec, node["items"], rest)
    return False


def announced(spec: dict[str, Any], operation: dict[str, Any], field: str, sent: dict[str, Any]) -> bool:
    """Whether the contract announces the refusal of `field`, or the value sent broke its schema after
    all (the generator does not always keep to a header's pattern: such a request was not valid)."""
    place, _, name = field.partition(".")
    if place in PARAMETER_PLACES:
        return any(p["in"] == place and p["name"].lower() == name.lower()
                   and (CHECKED_AGAINST in p or marks(spec, p.get("schema", {}), [])
                        or breaks_schema(spec, p.get("schema", {}), sent.get(place, {}), p["name"]))
                   for p in operation.get("parameters", []))
    bodies = [media["schema"] for media in operation.get("requestBody", {}).get("content", {}).values()
              if "schema" in media]
    path = [] if field == "body" else field.removeprefix("body.").split(".")
    return any(marks(spec, body, path) for body in bodies)


def breaks_schema(spec: dict[str, Any], schema: dict[str, Any], sent: dict[str, Any], name: str) -> bool:
    value = next((value for key, value in (sent or {}).items() if key.lower() == name.lower()), None)
    if value is None:
        return False
    return not Draft202012Validator({**resolve(spec, schema)}, format_checker=None).is_valid(value)


def unannounced_refusals(spec: dict[str, Any], operation: dict[str, Any], problem: Any,
                         sent: dict[str, Any]) -> list[str]:
    """The fields a 422 names that the contract does not mark; `["(none named)"]` when it names none.
    `sent` holds the request's parameters by place (`{"header": {...}, "query": {...}}`)."""
    errors = problem.get("errors") if isinstance(problem, dict) else None
    fields = [error.get("field", "") for error in errors or [] if isinstance(error, dict)]
    if not fields:
        return ["(none named)"]
    return [field for field in fields if not announced(spec, operation, field, sent)]


@check
def refusals_are_announced(ctx, response, case) -> bool | None:
    """A 422 to a schema-valid request names only fields the contract marks `x-checked-against`."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    sent = {"header": case.headers or {}, "query": case.query or {}, "path": case.path_parameters or {}}
    unannounced = unannounced_refusals(case.operation.schema.raw_schema, case.operation.definition.raw,
                                       response.json(), sent)
    if unannounced:
        raise AssertionError(f"Schema-valid request refused (422) on fields the contract does not mark "
                             f"{CHECKED_AGAINST}: {', '.join(unannounced)}\n{response.text[:500]}")
    return None
