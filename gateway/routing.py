"""Which service answers which path, and which scope each verb needs there (deploy/services.yaml)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from services.core.manifest import RouteSpec, load_manifest
from services.core.settings import SERVICE_PORTS

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Route:
    prefix: str
    service: str
    # Scope values as plain strings: they are written into the published contracts (YAML). None on a
    # public route: reads need no token, other verbs are refused.
    read_scope: str | None
    write_scope: str | None
    # Bulk uploads: a larger body limit than the platform's default, streamed to the service.
    max_body_bytes: int | None = None

    @property
    def base_url(self) -> str:
        default = f"http://127.0.0.1:{SERVICE_PORTS[self.service]}"
        return os.environ.get(f"{self.service.upper()}_URL", default)

    @property
    def public(self) -> bool:
        return self.read_scope is None

    @property
    def served_by_gateway(self) -> bool:
        return self.service == GATEWAY

    def scope_for(self, method: str) -> str | None:
        return self.read_scope if method in READ_METHODS else self.write_scope


# The name routes the gateway answers itself carry in place of a service's.
GATEWAY = "gateway"


def _route(spec: RouteSpec, service: str) -> Route:
    return Route(spec.prefix, service, spec.read_scope and spec.read_scope.value,
                 spec.write_scope and spec.write_scope.value, spec.max_body_bytes)


# The services' routes, which the gateway proxies.
ROUTES = tuple(_route(route, service.name) for service in load_manifest().services for route in service.routes)
# The gateway's own (gateway/me_export.py): checked like the others, answered without a service.
GATEWAY_ROUTES = tuple(_route(route, GATEWAY) for route in load_manifest().gateway_routes)
# Longest prefix first, so a service's sub-resource with scopes of its own wins over its root.
_BY_SPECIFICITY = sorted(ROUTES + GATEWAY_ROUTES, key=lambda route: len(route.prefix), reverse=True)


def route_for(path: str) -> Route | None:
    for route in _BY_SPECIFICITY:
        if path == route.prefix or path.startswith(route.prefix + "/"):
            return route
    return None


def larger_bodies() -> dict[str, int]:
    return {route.prefix: route.max_body_bytes for route in ROUTES if route.max_body_bytes}


def service_routes() -> dict[str, Route]:
    """One route per service, its root prefix (the shortest of its API's, public routes after them):
    where its contract is published."""
    roots: dict[str, Route] = {}
    for route in ROUTES:
        kept = roots.get(route.service)
        if kept is None or (route.public, len(route.prefix)) < (kept.public, len(kept.prefix)):
            roots[route.service] = route
    return roots
