"""Published OpenAPI contracts: `python -m tests.support.contracts write|check`.

A contract is a service's OpenAPI as integrators see it behind the gateway (`published_contract`),
committed under contracts-openapi/ so that every change to an API shows up in review as a diff.
"""
from __future__ import annotations

import copy
import difflib
import importlib
import sys
from pathlib import Path
from typing import Any

import yaml

from fastapi import FastAPI

from gateway.docs import published_contract
from gateway.me_export import EXAMPLE_PART, EXPORT_PATH, export_router
from gateway.routing import GATEWAY, Route, route_for, service_routes
from services.core.problems import install_problem_handlers
from services.core.settings import REPO_ROOT

CONTRACTS_DIR = REPO_ROOT / "contracts-openapi"


def contract_path(service: str) -> Path:
    return CONTRACTS_DIR / f"{service}.v1.yaml"


def build(route: Route) -> dict[str, Any]:
    """The contract from the service's own app; building the app connects to nothing."""
    app = importlib.import_module(f"services.{route.service}.app").create_app()
    return published_contract(app.openapi(), route)


# The person's own door: every service's /v1/me paths and the gateway's export, as one contract.
ME = "me"
ME_PREFIX = "/v1/me/"
ME_INFO = {
    "title": "My data (/v1/me)",
    "description": (
        "A person's own door to the platform: everything it holds about them, who read it, and what they may\n"
        "do themselves (correct their contact details, ask other corrections, book their first appointment,\n"
        "give or withdraw consent, send observations), each part from the service that owns it, and the whole\n"
        "as one JSON document (`GET /v1/me/export`). A person logs in at `/auth/login` (OpenID Connect); their\n"
        "token carries the scope `me` and names them: it opens these paths and nothing else, and no\n"
        "organisation's token opens them. The personal space (`/espace-personnel/`) calls them with the\n"
        "browser session's cookie, with `X-Requested-With: personal-space` on changes."),
    "version": "1.0.0",
}


def build_me(routes: dict[str, Route]) -> dict[str, Any]:
    """Each service's /v1/me paths from its own app, and the gateway's export, joined as one contract."""
    parts = {route.service: _me_only(build(route)) for route in routes.values()}
    parts[GATEWAY] = _me_only(published_contract(_export_app().openapi(), route_for(EXPORT_PATH)))
    whole = merged({service: contract for service, contract in parts.items() if contract["paths"]})
    whole.pop("webhooks", None)
    whole["info"] = {**ME_INFO, "contact": whole["info"]["contact"]}
    whole["tags"] = [{"name": tag} for tag in sorted({tag for operations in whole["paths"].values()
                                                       for op in operations.values() for tag in op.get("tags", [])})]
    whole["components"]["schemas"] = referenced_schemas(whole, whole["components"]["schemas"])
    _show_the_part_in_the_export(whole)
    return whole


def _show_the_part_in_the_export(whole: dict[str, Any]) -> None:
    """The export's example holds the part it asks for as that part's own example says it (the gateway,
    which imports no service, documents a stub of it), so the example is one a person really gets."""
    answer = whole["paths"][EXPORT_PATH]["get"]["responses"]["200"]["content"]["application/json"]
    part = whole["paths"][ME_PREFIX + EXAMPLE_PART]["get"]["responses"]["200"]["content"]["application/json"]
    answer["example"] = {**answer["example"], "parts": {EXAMPLE_PART: copy.deepcopy(part["example"])}}


def gateway_operations(contract: dict[str, Any]) -> dict[str, Any]:
    """The part of a contract the gateway answers itself (the export), with the schemas it reaches."""
    only = {**contract, "paths": {path: item for path, item in contract["paths"].items()
                                  if route_for(path) is not None and route_for(path).served_by_gateway}}
    return {**only, "components": {**contract["components"],
                                   "schemas": referenced_schemas(only, contract["components"]["schemas"])}}


def _me_only(contract: dict[str, Any]) -> dict[str, Any]:
    return {**contract, "paths": {path: item for path, item in contract["paths"].items()
                                  if path.startswith(ME_PREFIX)}}


def _export_app() -> FastAPI:
    app = FastAPI(title="France Travail platform", version="1.0.0")
    install_problem_handlers(app)  # its problems documented as the services' are
    app.include_router(export_router())
    return app


def referenced_schemas(contract: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """The schemas the paths reach, directly or through other schemas; the services' others stay theirs."""
    reached: set[str] = set()
    pending = [{key: value for key, value in contract.items() if key != "components"}]
    while pending:
        for name in _refs(pending.pop()) - reached:
            reached.add(name)
            pending.append(schemas[name])
    return {name: schema for name, schema in schemas.items() if name in reached}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[1]} if isinstance(node.get("$ref"), str) and \
            node["$ref"].startswith("#/components/schemas/") else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


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
    """`write <service>…` / `check <service>…`: those services only (others may have work in progress);
    `me` is the person's own contract, joined from every service's /v1/me paths."""
    routes = service_routes()
    if not argv or argv[0] not in ("write", "check") or set(argv[1:]) - set(routes) - {ME}:
        print("usage: python -m tests.support.contracts write|check [service…|me]", file=sys.stderr)
        return 2
    command, only = argv[:1], set(argv[1:])
    stale = False
    builders = {name: (lambda route=route: build(route)) for name, route in routes.items()}
    builders[ME] = lambda: build_me(routes)
    for name, builder in builders.items():
        if only and name not in only:
            continue
        path = contract_path(name)
        text = render(builder())
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
