"""Backward compatibility of event schemas: a new version must accept every event the old one did.

Consumers validate what they read, and a replay from offset 0 reads events written under every
earlier version of a schema, so within a major version a schema may only widen. Breaking: a new
required property, a property removed where other properties are refused, a type narrowed (removed,
or `integer` where `number` was), an enum value removed, a `const`, `pattern`, `format` or
`multipleOf` added or changed, a bound tightened, `additionalProperties` closed, a schema file
removed (a new major version is a new file). A keyword this check does not know breaks when it is
added or changed: it cannot prove that change widens. A new optional property of an open object is
taken as an addition, not as a narrowing of the values the object accepted under that name.

    python -m services.core.schema_compat OLD_REV [NEW_REV]   # NEW_REV: the working tree by default
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from services.core.settings import REPO_ROOT

Schema = dict[str, Any] | bool
SCHEMAS_DIR = "schemas"

# Keywords that describe without constraining: free to change.
ANNOTATIONS = {"title", "description", "examples", "$comment", "default", "deprecated", "readOnly", "writeOnly"}
LOWER_BOUNDS = {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"}
UPPER_BOUNDS = {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"}
# Keywords whose mere presence or new value narrows what validates.
EXACT = {"const", "pattern", "format", "multipleOf", "not", "$ref", "$id", "$schema"}
# Keywords a rule compares for widening; any other one must stay as it was.
COMPARED = ANNOTATIONS | LOWER_BOUNDS | UPPER_BOUNDS | {
    "type", "enum", "uniqueItems", "required", "properties", "additionalProperties", "items", "$defs", "anyOf",
    "oneOf", "allOf"}


def breaking_changes(old: Schema, new: Schema, path: str = "") -> list[str]:
    """What `new` refuses that `old` accepted, one line per change, each at its JSON pointer."""
    if new is True or old == new:
        return []
    if new is False or old is False:
        return [] if old is False else [f"{path or '/'}: now refuses everything"]
    if old is True:
        old = {}
    return [change for rule in RULES for change in rule(old, new, path)]


def _types(old: dict, new: dict, path: str) -> Iterator[str]:
    if "type" not in new:
        return
    old_types = _as_set(old.get("type", ["array", "boolean", "null", "number", "object", "string"]))
    new_types = _as_set(new["type"])
    if "number" in new_types:
        new_types.add("integer")
    if lost := sorted(old_types - new_types):
        yield f"{path}/type: {', '.join(lost)} no longer accepted"


def _enum(old: dict, new: dict, path: str) -> Iterator[str]:
    if "enum" not in new:
        return
    if "enum" not in old:
        yield f"{path}/enum: added"
        return
    kept = {_canonical(value) for value in new["enum"]}
    for value in old["enum"]:
        if _canonical(value) not in kept:
            yield f"{path}/enum: {json.dumps(value)} removed"


def _bounds(old: dict, new: dict, path: str) -> Iterator[str]:
    for keyword in sorted((LOWER_BOUNDS | UPPER_BOUNDS) & new.keys()):
        before, after = old.get(keyword), new[keyword]
        if before is None:
            yield f"{path}/{keyword}: added"
        elif after > before if keyword in LOWER_BOUNDS else after < before:
            yield f"{path}/{keyword}: tightened from {before} to {after}"
    if new.get("uniqueItems") and not old.get("uniqueItems"):
        yield f"{path}/uniqueItems: added"


def _required(old: dict, new: dict, path: str) -> Iterator[str]:
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        yield f"{path}/required: {name} added"


def _properties(old: dict, new: dict, path: str) -> Iterator[str]:
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    for name, schema in old_properties.items():
        if name in new_properties:
            yield from breaking_changes(schema, new_properties[name], f"{path}/properties/{name}")
        elif breaking_changes(schema, new.get("additionalProperties", True)):
            yield f"{path}/properties/{name}: removed, and no longer accepted as an additional property"
    for name in new_properties.keys() - old_properties.keys():
        before = old.get("additionalProperties", True)
        if before is not True:
            yield from breaking_changes(before, new_properties[name], f"{path}/properties/{name}")


def _additional_properties(old: dict, new: dict, path: str) -> Iterator[str]:
    if "additionalProperties" in new:
        yield from breaking_changes(old.get("additionalProperties", True), new["additionalProperties"],
                                    f"{path}/additionalProperties")


def _items(old: dict, new: dict, path: str) -> Iterator[str]:
    if "items" in new:
        yield from breaking_changes(old.get("items", True), new["items"], f"{path}/items")


def _definitions(old: dict, new: dict, path: str) -> Iterator[str]:
    # Other schemas reference definitions by URI: a definition removed breaks them.
    old_defs, new_defs = old.get("$defs", {}), new.get("$defs", {})
    for name, schema in old_defs.items():
        if name in new_defs:
            yield from breaking_changes(schema, new_defs[name], f"{path}/$defs/{name}")
        else:
            yield f"{path}/$defs/{name}: removed"


def _alternatives(old: dict, new: dict, path: str) -> Iterator[str]:
    """Each former alternative must still be accepted by one alternative."""
    for keyword in ("anyOf", "oneOf"):
        if keyword not in new:
            continue
        if keyword not in old:
            yield f"{path}/{keyword}: added"
            continue
        for index, before in enumerate(old[keyword]):
            if all(breaking_changes(before, after) for after in new[keyword]):
                yield f"{path}/{keyword}/{index}: no longer accepted by any alternative"


def _all_of(old: dict, new: dict, path: str) -> Iterator[str]:
    """Each constraint of the new list must be one of the old ones, or wider."""
    for index, after in enumerate(new.get("allOf", [])):
        if all(breaking_changes(before, after) for before in old.get("allOf", [True])):
            yield f"{path}/allOf/{index}: a new constraint"


def _exact(old: dict, new: dict, path: str) -> Iterator[str]:
    for keyword in sorted(new.keys() - COMPARED):
        if keyword not in old:
            yield f"{path}/{keyword}: added"
        elif old[keyword] != new[keyword]:
            changed = "changed" if keyword in EXACT else "changed, which this check cannot prove wider"
            yield f"{path}/{keyword}: {changed}"


RULES: list[Callable[[dict, dict, str], Iterator[str]]] = [
    _types, _enum, _bounds, _required, _properties, _additional_properties, _items, _definitions,
    _alternatives, _all_of, _exact,
]


def _as_set(types: str | list[str]) -> set[str]:
    return {types} if isinstance(types, str) else set(types)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)  # JSON equality: 1 and true differ, unlike in Python


def breaking_files(old: dict[str, Schema], new: dict[str, Schema]) -> list[str]:
    """Breaking changes between two sets of schema files, by file name."""
    changes = []
    for name, schema in sorted(old.items()):
        if name not in new:
            changes.append(f"{name}: removed (a new major version is a new file)")
        else:
            changes.extend(f"{name}#{change}" for change in breaking_changes(schema, new[name]))
    return changes


def schemas_at(rev: str, repo: Path = REPO_ROOT) -> dict[str, Schema]:
    """The schema files as committed at `rev`."""
    names = _git(repo, "ls-tree", "--name-only", f"{rev}:{SCHEMAS_DIR}").split()
    return {name: json.loads(_git(repo, "show", f"{rev}:{SCHEMAS_DIR}/{name}"))
            for name in names if name.endswith(".json")}


def schemas_in_tree(repo: Path = REPO_ROOT) -> dict[str, Schema]:
    return {path.name: json.loads(path.read_text()) for path in (repo / SCHEMAS_DIR).glob("*.json")}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description="Breaking changes of schemas/*.json between two versions.")
    parser.add_argument("old_rev", help="git revision of the schemas as published, e.g. HEAD or main")
    parser.add_argument("new_rev", nargs="?", help="git revision of the new schemas (default: the working tree)")
    args = parser.parse_args()
    new = schemas_at(args.new_rev) if args.new_rev else schemas_in_tree()
    changes = breaking_files(schemas_at(args.old_rev), new)
    for change in changes:
        print(change)
    return 1 if changes else 0


if __name__ == "__main__":
    sys.exit(main())
