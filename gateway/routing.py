"""Which service answers which path, and which scope each verb needs there."""
from __future__ import annotations

import os
from dataclasses import dataclass

from services.core.settings import SERVICE_PORTS

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Route:
    prefix: str
    service: str
    read_scope: str
    write_scope: str

    @property
    def base_url(self) -> str:
        default = f"http://127.0.0.1:{SERVICE_PORTS[self.service]}"
        return os.environ.get(f"{self.service.upper()}_URL", default)

    def scope_for(self, method: str) -> str:
        return self.read_scope if method in READ_METHODS else self.write_scope


ROUTES = (
    Route("/v1/registrations", "registration", "registrations:read", "registrations:write"),
    Route("/v1/orientation", "orientation", "orientation:read", "orientation:decide"),
    Route("/v1/dossiers", "dossier", "dossier:read", "dossier:write"),
)


def route_for(path: str) -> Route | None:
    for route in ROUTES:
        if path == route.prefix or path.startswith(route.prefix + "/"):
            return route
    return None
