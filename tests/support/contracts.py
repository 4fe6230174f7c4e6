"""Published OpenAPI contracts: `python -m tests.support.contracts write|check`.

A contract is a service's OpenAPI as integrators see it behind the gateway (`published_contract`),
committed under contracts-openapi/ so that every change to an API shows up in review as a diff.
"""
from __future__ import annotations

import difflib
import importlib
import sys
from pathlib import Path
from typing import Any

import yaml

from gateway.docs import published_contract
from gateway.routing import Route, service_routes
from services.core.settings import REPO_ROOT

CONTRACTS_DIR = REPO_ROOT / "contracts-openapi"


def contract_path(service: str) -> Path:
    return CONTRACTS_DIR / f"{service}.v1.yaml"


def build(route: Route) -> dict[str, Any]:
    """The contract from the service's own app; building the app connects to nothing."""
    app = importlib.import_module(f"services.{route.service}.app").create_app()
    return published_contract(app.openapi(), route)


def committed(service: str) -> dict[str, Any]:
    return yaml.safe_load(contract_path(service).read_text(encoding="utf-8"))


def merged(contracts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The services' contracts as one document, as the gateway's /openapi.json joins them. Two
    services naming a schema alike but defining it differently would make one of them wrong there."""
    first = next(iter(contracts.values()))
    whole = {**first, "paths": {}, "components": {**first["components"], "schemas": {}}}
    owners: dict[str, str] = {}
    for service, contract in contracts.items():
        whole["paths"].update(contract["paths"])
        for name, schema in contract["components"].get("schemas", {}).items():
            if whole["components"]["schemas"].setdefault(name, schema) != schema:
                raise ValueError(f"schema {name!r} differs between {owners[name]} and {service}: rename one")
            owners.setdefault(name, service)
    return whole


def render(contract: dict[str, Any]) -> str:
    return yaml.safe_dump(contract, sort_keys=False, allow_unicode=True)


def diff(expected: str, actual: str, name: str) -> str:
    return "".join(difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        fromfile=f"{name} (committed)", tofile=f"{name} (from the code)"))


def main(argv: list[str]) -> int:
    """`write <service>…` / `check <service>…`: those services only (others may have work in progress)."""
    routes = service_routes()
    if not argv or argv[0] not in ("write", "check") or set(argv[1:]) - set(routes):
        print("usage: python -m tests.support.contracts write|check [service…]", file=sys.stderr)
        return 2
    command, only = argv[:1], set(argv[1:])
    stale = False
    for route in (r for name, r in routes.items() if not only or name in only):
        path = contract_path(route.service)
        text = render(build(route))
        if command == ["write"]:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO_ROOT)}")
            continue
        committed = path.read_text(encoding="utf-8") if path.exists() else ""
        if committed != text:
            stale = True
            print(diff(committed, text, str(path.relative_to(REPO_ROOT))))
    if stale:
        print("The contracts differ from the code: run `make contracts` and review the diff.", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
