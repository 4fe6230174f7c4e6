"""OAuth2 clients of the platform: who they are, their organisation, territories and scopes."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

import yaml

from services.core.identity import ORG_TYPES
from services.core.scopes import Scope


@dataclass(frozen=True)
class Partner:
    client_id: str
    client_secret: str
    name: str
    org_id: str
    org_type: str
    territories: tuple[str, ...]
    scopes: frozenset[Scope]
    rate_limit_per_minute: int
    siret: str | None = None  # an employer's establishment: it publishes offers for it only
    offer_source: str | None = None  # a job board's source name: it publishes offers under it only
    cors_origins: tuple[str, ...] = ()  # origins of its browser applications (scheme://host[:port])

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.client_secret.encode(), secret.encode())


def load_partners(path: Path) -> dict[str, Partner]:
    entries = yaml.safe_load(path.read_text())["partners"]
    partners = {}
    for entry in entries:
        if entry["org_type"] not in ORG_TYPES:
            raise ValueError(f"{path}: {entry['client_id']} has unknown org_type {entry['org_type']!r}")
        unknown = sorted(set(entry["scopes"]) - set(Scope))
        if unknown:
            raise ValueError(f"{path}: {entry['client_id']} has unknown scope(s) {', '.join(unknown)}")
        if Scope.ME in entry["scopes"]:
            raise ValueError(f"{path}: {entry['client_id']}: 'me' belongs to persons' tokens, never to a client")
        partners[entry["client_id"]] = Partner(
            client_id=entry["client_id"], client_secret=entry["client_secret"], name=entry["name"],
            org_id=entry["org_id"], org_type=entry["org_type"], territories=tuple(entry.get("territories", ())),
            scopes=frozenset(map(Scope, entry["scopes"])),
            rate_limit_per_minute=int(entry.get("rate_limit_per_minute", 600)),
            siret=entry.get("siret"), offer_source=entry.get("offer_source"),
            cors_origins=tuple(entry.get("cors_origins", ())),
        )
    return partners
